"""Who may use the ledger's pages and API (issue 5; roles and permissions from issue 2).

Supervisors read and supervise every task; unit staff and heads read their unit's tasks and
act on those assigned to their unit; the public reads tasks marked public, nothing else.
Within a task, ``FIELD_MATRIX`` proves who reads which field group (issue 9, point 3): a
public task's public fields for everyone, a unit's reports, evidence, notes and timeline
steps for that unit and supervisors only.
"""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from shuzheng import clock
from shuzheng.tasks.models import ExtensionRequest, SavedFilter, TaskComment
from shuzheng.tasks.services import supervision
from tests.permissions import (
    EVERYONE,
    SIGNED_IN,
    SUPERVISOR,
    SUPERVISORS,
    UNIT_MEMBERS,
    UNIT_READERS,
    Case,
    FieldCase,
    field_matrix_test,
    matrix_test,
)
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
        "own_extension": ExtensionRequest.objects.create(
            milestone=own.milestones.get(),
            unit=world.unit,
            requested_at=clock.now(),
            current_due_on=dt.date(2024, 12, 31),
            proposed_due_on=dt.date(2025, 6, 30),
            reason="资金未到位",
        ),
        "supervisors_filter": SavedFilter.objects.create(
            user=world.users["supervisor"], name="红灯", query="light=red", created_at=clock.now()
        ),
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
    # The ledger as supervisors work it (issue 14, point 6)
    Case("tasks:export_csv", allowed=EVERYONE),
    Case("tasks:export_xlsx", allowed=EVERYONE),
    Case("tasks:timeline", allowed=EVERYONE),
    Case(
        "tasks:circular",
        path="/tasks/circular.pdf?start=2024-01-01&end=2024-12-31",
        allowed=SUPERVISORS,
    ),
    Case(
        "tasks:bulk_assign",
        method="post",
        data=lambda w: {"tasks": [w.objects["splittable"].pk], "unit": w.unit.code},
        allowed=SUPERVISORS,
    ),
    Case(
        "tasks:save_filter",
        method="post",
        data={"name": "红灯", "query": "light=red"},
        allowed=SIGNED_IN,
    ),
    Case(
        "tasks:delete_filter",
        method="post",
        path=lambda w: f"/tasks/filters/{w.objects['supervisors_filter'].pk}/delete/",
        data={},
        allowed={SUPERVISOR},
    ),
    Case("tasks:slip", path=page("own", "slip.pdf"), allowed=UNIT_READERS, label="own"),
    Case("tasks:slip", path=page("other", "slip.pdf"), allowed=SUPERVISORS, label="other"),
    # Sealed (issue 10, point 3): the supervision side's documents, sealed by a unit whose
    # sealing right the sealer holds; supervisors hold none, so only administrators here.
    Case(
        "tasks:slip_sealed",
        method="post",
        path=page("own", "slip-sealed.pdf"),
        data=lambda w: {"unit": w.unit.pk},
        allowed={"administrator"},
    ),
    Case(
        "tasks:circular_sealed",
        method="post",
        data=lambda w: {"start": "2024-01-01", "end": "2024-12-31", "unit": w.unit.pk},
        allowed={"administrator"},
    ),
    Case(
        "tasks:comment",
        method="post",
        path=page("own", "comment/"),
        data={"text": "请加快进度"},
        allowed=UNIT_READERS,
        label="own",
    ),
    Case(
        "tasks:comment",
        method="post",
        path=page("other", "comment/"),
        data={"text": "请加快进度"},
        allowed=SUPERVISORS,
        label="other",
    ),
    Case(
        "tasks:watch",
        method="post",
        path=page("own", "watch/"),
        data={"watch": "on"},
        allowed=UNIT_READERS,
    ),
    Case(
        "tasks:request_extension",
        method="post",
        path=page("fresh", "extension/"),
        data=lambda w: {
            "milestone": w.objects["fresh"].milestones.get().pk,
            "proposed_due_on": "2025-06-30",
            "reason": "资金未到位",
        },
        allowed=UNIT_MEMBERS,
    ),
    Case(
        "tasks:decide_extension",
        method="post",
        path=lambda w: f"/tasks/extensions/{w.objects['own_extension'].pk}/decide/",
        data={"approve": "yes"},
        allowed=SUPERVISORS,
    ),
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


# --- field groups (issue 9, point 3) ----------------------------------------------------------


def pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def work_through_the_cycle(task, unit, world, mark: str, percent: int) -> None:
    """交办 with a note, 承办, 反馈 with evidence, through the services (so the timeline has
    the steps); the markers name the unit whose work each text is."""
    admin = world.users["administrator"]
    supervision.assign(task, unit, note=f"NOTE-{mark}", actor=world.users["supervisor"])
    supervision.undertake(task, unit, actor=admin)
    supervision.report(
        task,
        unit,
        text=f"REPORT-{mark}",
        percent=percent,
        files=[pdf(f"evidence-{mark}.pdf")],
        actor=admin,
    )


def make_story(world) -> dict:
    """中卫 (``world.unit``, where the matrix's unit staff and head work) and 银川
    (``world.other_unit``): a public task of 银川 alone, a public task both undertake, and a
    task of 银川 that is not public."""
    supervisor = world.users["supervisor"]
    theirs = make_task(20, world.other_unit, is_public=True)
    work_through_the_cycle(theirs, world.other_unit, world, "THEIRS", 40)
    supervision.claim_completion(
        theirs, world.other_unit, text="CLAIM-THEIRS", actor=world.users["administrator"]
    )
    supervision.reject(theirs, reason="REASON-THEIRS", actor=supervisor)
    shared = make_task(21, world.unit, world.other_unit, is_public=True)
    work_through_the_cycle(shared, world.other_unit, world, "SHARED-OTHER", 41)
    work_through_the_cycle(shared, world.unit, world, "SHARED-OWN", 30)
    supervision.reject(
        supervision.claim_completion(
            shared, world.unit, text="CLAIM-SHARED-OWN", actor=world.users["administrator"]
        ).task,
        reason="REASON-SHARED",
        actor=supervisor,
    )
    private = make_task(22, world.other_unit, is_public=False)
    TaskComment.objects.create(task=theirs, text="COMMENT-THEIRS", created_at=clock.now())
    TaskComment.objects.create(task=shared, text="COMMENT-SHARED", created_at=clock.now())
    return {"theirs": theirs, "shared": shared, "private": private}


def detail_page(name):
    path = page(name)
    path.where = f"page-{name}"
    return path


def detail_api(name):
    path = api(name)
    path.where = f"api-{name}"
    return path


LEDGER_API = "/api/v1/tasks/?q=测试任务"

FIELD_MATRIX = [
    # The public fields of a public task: everyone; of a task that is not public: supervisors.
    FieldCase("task.public", detail_page("theirs"), "测试任务 20", EVERYONE),
    FieldCase("task.public", detail_api("theirs"), "测试任务 20", EVERYONE),
    FieldCase("task.public", detail_page("private"), "测试任务 22", SUPERVISORS),
    FieldCase("task.public", detail_api("private"), "测试任务 22", SUPERVISORS),
    FieldCase("task.public", LEDGER_API, "测试任务 22", SUPERVISORS),
    # 银川's reports on its public task: not for 中卫's staff (the hole of issue 9, point 3).
    FieldCase("task.reports", detail_page("theirs"), "REPORT-THEIRS", SUPERVISORS),
    FieldCase("task.reports", detail_api("theirs"), "REPORT-THEIRS", SUPERVISORS),
    FieldCase("task.reports", detail_api("theirs"), "CLAIM-THEIRS", SUPERVISORS),
    FieldCase("task.reports", detail_page("shared"), "REPORT-SHARED-OWN", UNIT_READERS),
    FieldCase("task.reports", detail_page("shared"), "REPORT-SHARED-OTHER", SUPERVISORS),
    FieldCase("task.reports", detail_api("shared"), "REPORT-SHARED-OWN", UNIT_READERS),
    FieldCase("task.reports", detail_api("shared"), "REPORT-SHARED-OTHER", SUPERVISORS),
    FieldCase("task.reports", detail_api("shared"), "REPORT-SHARED-OWN", UNIT_READERS, "token"),
    FieldCase("task.evidence", detail_page("theirs"), "evidence-THEIRS.pdf", SUPERVISORS),
    FieldCase("task.evidence", detail_api("theirs"), "evidence-THEIRS.pdf", SUPERVISORS),
    FieldCase("task.evidence", detail_page("shared"), "evidence-SHARED-OWN.pdf", UNIT_READERS),
    FieldCase("task.evidence", detail_api("shared"), "evidence-SHARED-OTHER.pdf", SUPERVISORS),
    FieldCase("task.assignment_notes", detail_page("theirs"), "NOTE-THEIRS", SUPERVISORS),
    FieldCase("task.assignment_notes", detail_api("theirs"), "NOTE-THEIRS", SUPERVISORS),
    FieldCase("task.assignment_notes", LEDGER_API, "NOTE-THEIRS", SUPERVISORS),
    FieldCase("task.assignment_notes", detail_page("shared"), "NOTE-SHARED-OWN", UNIT_READERS),
    FieldCase("task.assignment_notes", detail_api("shared"), "NOTE-SHARED-OTHER", SUPERVISORS),
    # A step on the whole task (a rejection): the task's own units; a unit's step: that unit.
    # Comments: the task's internal work, for the units of the task and supervisors.
    FieldCase("task.comments", detail_page("theirs"), "COMMENT-THEIRS", SUPERVISORS),
    FieldCase("task.comments", detail_page("shared"), "COMMENT-SHARED", UNIT_READERS),
    FieldCase("task.timeline", detail_page("theirs"), "REASON-THEIRS", SUPERVISORS),
    FieldCase("task.timeline", detail_page("shared"), "REASON-SHARED", UNIT_READERS),
    FieldCase("task.timeline", detail_page("shared"), "· 41%", SUPERVISORS),
    FieldCase("task.timeline", detail_page("shared"), "· 30%", UNIT_READERS),
]

test_field_matrix = field_matrix_test(FIELD_MATRIX, setup=make_story)
