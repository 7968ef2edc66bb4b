"""Who may use the ledger's pages and API (issue 5; roles and permissions from issue 2).

Supervisors read and supervise every task; unit staff and heads read their unit's tasks and
act on those assigned to their unit; the public reads tasks marked public, nothing else.
"""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.permissions import EVERYONE, SUPERVISORS, UNIT_MEMBERS, UNIT_READERS, Case, matrix_test
from tests.tasks.factories import PDF, add_report, assign, make_task


def make_tasks(world) -> dict:
    own = make_task(1, world.unit)
    assign(own, world.unit)
    own_report = add_report(own, world.unit, dt.date(2024, 2, 1), evidence="own.pdf")
    fresh = make_task(2, world.unit)
    assign(fresh, world.unit, accepted=False)
    claimed = make_task(3, world.unit)
    assign(claimed, world.unit)
    add_report(claimed, world.unit, dt.date(2024, 3, 1), 100, claims=True)
    other = make_task(4, world.other_unit)
    assign(other, world.other_unit)
    other_report = add_report(other, world.other_unit, dt.date(2024, 2, 1), evidence="other.pdf")
    return {
        "own": own,
        "fresh": fresh,
        "claimed": claimed,
        "other": other,
        "public": make_task(5, world.other_unit, is_public=True),
        "splittable": make_task(6, world.unit, world.other_unit),
        "own_evidence": own_report.evidence.get(),
        "other_evidence": other_report.evidence.get(),
    }


def page(name, suffix=""):
    return lambda w: f"/tasks/{w.objects[name].pk}/{suffix}"


def api(name, suffix=""):
    return lambda w: f"/api/v1/tasks/{w.objects[name].pk}{suffix}"


def evidence(name):
    return lambda w: f"/tasks/evidence/{w.objects[name].pk}/"


def report_upload(world) -> dict:
    return {"text": "完成一半", "percent": 50, "evidence": SimpleUploadedFile("r.pdf", PDF)}


NEW_TASK = {"content": "手工任务", "deadline": "2024年", "report_cycle": "monthly"}
SPLIT = lambda w: {"units": [w.unit.code, w.other_unit.code]}  # noqa: E731
ASSIGN = lambda w: {"unit": w.unit.code}  # noqa: E731

MATRIX = [
    Case("tasks:ledger", allowed=EVERYONE),
    Case("tasks:mine", allowed=UNIT_MEMBERS),
    Case("tasks:create", allowed=SUPERVISORS),
    Case("tasks:create", method="post", data=NEW_TASK, allowed=SUPERVISORS),
    Case("tasks:detail", path=page("own"), allowed=UNIT_READERS, label="own"),
    Case("tasks:detail", path=page("other"), allowed=SUPERVISORS, label="other"),
    Case("tasks:detail", path=page("public"), allowed=EVERYONE, label="public"),
    Case(
        "tasks:assign",
        method="post",
        path=page("splittable", "assign/"),
        data=ASSIGN,
        allowed=SUPERVISORS,
    ),
    Case(
        "tasks:undertake",
        method="post",
        path=page("fresh", "undertake/"),
        data={},
        allowed=UNIT_MEMBERS,
    ),
    Case(
        "tasks:report",
        method="post",
        path=page("own", "report/"),
        data=report_upload,
        allowed=UNIT_MEMBERS,
    ),
    Case(
        "tasks:claim",
        method="post",
        path=page("own", "claim/"),
        data={"text": "完成"},
        allowed=UNIT_MEMBERS,
    ),
    Case(
        "tasks:close",
        method="post",
        path=page("claimed", "close/"),
        data={"rating": 4},
        allowed=SUPERVISORS,
    ),
    Case(
        "tasks:reject",
        method="post",
        path=page("claimed", "reject/"),
        data={"reason": "缺材料"},
        allowed=SUPERVISORS,
    ),
    Case(
        "tasks:decompose",
        method="post",
        path=page("splittable", "decompose/"),
        data=SPLIT,
        allowed=SUPERVISORS,
    ),
    Case(
        "tasks:settings",
        method="post",
        path=page("own", "settings/"),
        data={"report_cycle": "quarterly"},
        allowed=SUPERVISORS,
    ),
    Case("tasks:evidence", path=evidence("own_evidence"), allowed=UNIT_READERS, label="own"),
    Case("tasks:evidence", path=evidence("other_evidence"), allowed=SUPERVISORS, label="other"),
    Case("api:tasks_list", allowed=EVERYONE),
    Case("api:tasks_list", allowed=EVERYONE, auth="token"),
    Case("api:tasks_create", method="post", json=NEW_TASK, allowed=SUPERVISORS),
    Case("api:tasks_detail", path=api("own"), allowed=UNIT_READERS, label="own"),
    Case("api:tasks_detail", path=api("other"), allowed=SUPERVISORS, label="other"),
    Case("api:tasks_detail", path=api("public"), allowed=EVERYONE, label="public"),
    Case(
        "api:tasks_update",
        method="patch",
        path=api("own"),
        json={"is_public": True},
        allowed=SUPERVISORS,
    ),
    Case(
        "api:tasks_assign",
        method="post",
        path=api("splittable", "/assign"),
        json=ASSIGN,
        allowed=SUPERVISORS,
    ),
    Case(
        "api:tasks_assign",
        method="post",
        path=api("splittable", "/assign"),
        json=ASSIGN,
        allowed=SUPERVISORS,
        auth="token",
    ),
    Case(
        "api:tasks_undertake",
        method="post",
        path=api("fresh", "/undertake"),
        json={},
        allowed=UNIT_MEMBERS,
    ),
    Case(
        "api:tasks_report",
        method="post",
        path=api("own", "/reports"),
        data=report_upload,
        allowed=UNIT_MEMBERS,
    ),
    Case(
        "api:tasks_report",
        method="post",
        path=api("own", "/reports"),
        data=report_upload,
        allowed=UNIT_MEMBERS,
        auth="token",
    ),
    Case(
        "api:tasks_claim",
        method="post",
        path=api("own", "/claim"),
        json={"text": "完成"},
        allowed=UNIT_MEMBERS,
    ),
    Case(
        "api:tasks_close",
        method="post",
        path=api("claimed", "/close"),
        json={},
        allowed=SUPERVISORS,
    ),
    Case(
        "api:tasks_reject",
        method="post",
        path=api("claimed", "/reject"),
        json={"reason": "缺材料"},
        allowed=SUPERVISORS,
    ),
    Case(
        "api:tasks_decompose",
        method="post",
        path=api("splittable", "/decompose"),
        json=SPLIT,
        allowed=SUPERVISORS,
    ),
    Case("api:tasks_reminders", method="post", allowed=SUPERVISORS),
]

test_matrix = matrix_test(MATRIX, setup=make_tasks)
