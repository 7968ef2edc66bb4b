"""Who may use the requests part's pages (issue 16, point 7). The matrix world's unit staff
and head belong to ``world.unit``: it made the draft and holds the grant, and it is the
provider the submitted request and the objection wait for."""

from tests.exchange_requests.world import make_objects
from tests.permissions import (
    ADMINISTRATORS,
    SIGNED_IN,
    SUPERVISORS,
    UNIT_READERS,
    Case,
    matrix_test,
)

STAFF_AND_HEAD = {"unit_staff", "unit_head"}
HEADS = {"unit_head", "administrator"}
ACTORS = {"unit_staff", "unit_head", "administrator"}
REASON = {"reason": "理由"}


def req(key, suffix=""):
    return lambda w: f"/exchange/requests/{w.objects[key].pk}/{suffix}"


def obj(suffix=""):
    return lambda w: f"/exchange/objections/{w.objects['objection'].pk}/{suffix}"


MATRIX = [
    Case("exchange:home", allowed=SIGNED_IN),
    Case("exchange:requests", allowed=UNIT_READERS),
    Case("exchange:new_request", allowed=STAFF_AND_HEAD),
    Case("exchange:request", path=req("draft"), allowed=UNIT_READERS),
    Case("exchange:submit_request", method="post", path=req("draft", "submit/"), allowed=ACTORS),
    Case(
        "exchange:approve_request",
        method="post",
        path=req("to_us", "approve/"),
        data=REASON,
        allowed=HEADS,
    ),
    Case(
        "exchange:refuse_request",
        method="post",
        path=req("to_us", "refuse/"),
        data=REASON,
        allowed=HEADS,
    ),
    Case(
        "exchange:return_request",
        method="post",
        path=req("to_us", "return/"),
        data=REASON,
        allowed=HEADS,
    ),
    Case(
        "exchange:route_request", method="post", path=req("demand", "route/"), allowed=SUPERVISORS
    ),
    Case("exchange:approvals", allowed=HEADS),
    Case("exchange:routing", allowed=SUPERVISORS),
    Case("exchange:grants", allowed=UNIT_READERS),
    Case(
        "exchange:revoke_grant",
        method="post",
        path=lambda w: f"/exchange/grants/{w.objects['grant'].pk}/revoke/",
        data=REASON,
        allowed=HEADS,
    ),
    Case("exchange:objections", allowed=SIGNED_IN),
    Case("exchange:new_objection", allowed=SIGNED_IN),
    Case("exchange:objection", path=obj(), allowed=UNIT_READERS),
    Case("exchange:objection_evidence", path=obj("evidence/"), allowed=UNIT_READERS),
    Case(
        "exchange:answer_objection",
        method="post",
        path=obj("answer/"),
        data={"decision": "reject", "answer": "核实无误"},
        allowed=ACTORS,
    ),
    Case("exchange:statistics", allowed=SUPERVISORS),
]
test_matrix = matrix_test(MATRIX, setup=make_objects)
assert ADMINISTRATORS <= HEADS
