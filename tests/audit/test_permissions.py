"""Permission matrix of the audit trail: supervisors and administrators only (issue 2)."""

from shuzheng.audit.services import record_change
from tests.permissions import SUPERVISORS, Case, matrix_test


def make_event(world):
    user = world.users["citizen"]
    return {"event": record_change(actor=None, action="matrix.touch", obj=user, after={"x": 1})}


MATRIX = [
    Case("audit:list", allowed=SUPERVISORS),
    Case("audit:detail", path=lambda w: f"/audit/{w.objects['event'].pk}/", allowed=SUPERVISORS),
    Case("api:audit_events", allowed=SUPERVISORS),
    Case("api:audit_events", allowed=SUPERVISORS, auth="token"),
]

test_matrix = matrix_test(MATRIX, setup=make_event)
