"""The supervision cycle on the sample's tasks (issue 5, item 2): 交办 → 承办 → 反馈 →
申请办结 → 办结, decomposition, and refused steps that change nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shuzheng.audit.models import AuditEvent
from shuzheng.notifications.models import Notification
from shuzheng.tasks.models import Evidence, KeyTask, ProgressReport, TaskResponsibility
from shuzheng.tasks.selectors import task_row
from shuzheng.tasks.services import supervision
from shuzheng.tasks.services.supervision import TaskActionError
from tests.tasks.conftest import table_task
from tests.tasks.factories import PDF

pytestmark = pytest.mark.django_db

ASSIGNED_ON = dt.date(2024, 3, 1)


def pdf(name="进展.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def assigned(task37, yinchuan, supervisor, staff, at):
    """Task 37 assigned to 银川市人民政府, one of its 各地级市 owners, on 2024-03-01."""
    at(ASSIGNED_ON)
    supervision.assign(task37, yinchuan, actor=supervisor, note="按季度报送")
    return task37


@pytest.fixture
def undertaken(assigned, yinchuan, staff):
    supervision.undertake(assigned, yinchuan, actor=staff)
    return assigned


def test_assigning_takes_the_due_date_from_the_milestone_and_tells_the_unit(assigned, staff):
    assignment = assigned.assignments.get()
    assert assignment.due_on == dt.date(2024, 12, 31)  # "2024年" is due at the year's end
    assert assignment.assigned_on == ASSIGNED_ON and assignment.state == "assigned"
    event = AuditEvent.objects.get(action="tasks.assign")
    assert event.object_id == str(assigned.pk) and event.after["unit_name"] == "银川市人民政府"
    notice = Notification.objects.get(recipient=staff, kind="task_assigned")
    assert notice.link == f"/tasks/{assigned.pk}/"


def test_a_second_assignment_to_the_same_unit_is_refused(assigned, yinchuan, supervisor):
    with pytest.raises(TaskActionError, match="already assigned"):
        supervision.assign(assigned, yinchuan, actor=supervisor)
    assert assigned.assignments.count() == 1


def test_report_needs_the_unit_to_accept_first(assigned, yinchuan, staff):
    with pytest.raises(TaskActionError, match="Accept the task"):
        supervision.report(assigned, yinchuan, text="进展", percent=10, actor=staff)
    assert not ProgressReport.objects.exists()


def test_a_unit_the_task_is_not_assigned_to_cannot_report(undertaken, other_staff):
    with pytest.raises(TaskActionError, match="not assigned to 石嘴山市人民政府"):
        supervision.report(
            undertaken, other_staff.unit, text="进展", percent=10, files=[pdf()], actor=other_staff
        )
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()


def test_report_stores_text_percent_and_evidence_under_media_root(
    undertaken, yinchuan, staff, media
):
    report = supervision.report(
        undertaken, yinchuan, text="完成系统选型", percent=50, files=[pdf()], actor=staff
    )
    evidence = report.evidence.get()
    assert (report.reported_on, report.percent) == (ASSIGNED_ON, 50)
    assert evidence.name == "进展.pdf" and evidence.size == len(PDF)
    stored = media / evidence.file.name
    assert stored.read_bytes() == PDF and stored.name != "进展.pdf"
    assert AuditEvent.objects.get(action="tasks.report").after["evidence"] == ["进展.pdf"]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("setup.exe", b"MZ\x90\x00"), "not accepted"),
        (SimpleUploadedFile("伪装.pdf", b"MZ\x90\x00"), "does not contain what its name says"),
        (SimpleUploadedFile("空.pdf", b""), "is empty"),
        (SimpleUploadedFile("notes.txt", b"a\x00b"), "not a text file"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_stored(
    undertaken, yinchuan, staff, media, upload, message
):
    with pytest.raises(TaskActionError, match=message):
        supervision.report(
            undertaken, yinchuan, text="进展", percent=10, files=[upload], actor=staff
        )
    assert not ProgressReport.objects.exists()
    assert not (media / "tasks").exists()


def test_evidence_larger_than_the_configured_limit_is_refused(
    undertaken, yinchuan, staff, settings
):
    settings.LEDGER_EVIDENCE_MAX_MB = 1
    big = pdf("大.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(TaskActionError, match="at most 1 MB"):
        supervision.report(undertaken, yinchuan, text="进展", percent=10, files=[big], actor=staff)
    assert not ProgressReport.objects.exists()


def test_claim_reject_claim_close(undertaken, yinchuan, staff, supervisor, at):
    with pytest.raises(TaskActionError, match="Only a task whose completion was claimed"):
        supervision.close(undertaken, actor=supervisor)
    at(dt.date(2024, 11, 20))
    supervision.claim_completion(undertaken, yinchuan, text="系统已上线", actor=staff)
    assert KeyTask.objects.get(pk=undertaken.pk).closure == "claimed"
    with pytest.raises(TaskActionError, match="wait for the supervisor"):
        supervision.report(undertaken, yinchuan, text="再报", percent=99, actor=staff)

    supervision.reject(undertaken, reason="缺少验收材料", actor=supervisor)
    task = KeyTask.objects.get(pk=undertaken.pk)
    assert task.closure == "open"
    assert AuditEvent.objects.get(action="tasks.reject").after["reason"] == "缺少验收材料"
    with pytest.raises(TaskActionError, match="Only a claimed completion"):
        supervision.reject(task, reason="again", actor=supervisor)

    at(dt.date(2024, 12, 5))
    supervision.claim_completion(task, yinchuan, text="补充验收材料", files=[pdf()], actor=staff)
    at(dt.date(2024, 12, 10))
    supervision.close(task, rating=4, actor=supervisor)
    task = KeyTask.objects.get(pk=task.pk)
    assert (task.closure, task.closed_on) == ("confirmed", dt.date(2024, 12, 10))
    assert task.milestones.get().achieved_on == dt.date(2024, 12, 5)  # the claim's day
    assert task.assignments.get().rating == 4
    row = task_row(task, dt.date(2025, 3, 1))
    assert (row.light, row.reason) == ("grey", "task-closed")
    with pytest.raises(TaskActionError, match="closed"):
        supervision.report(task, yinchuan, text="迟到的报告", percent=100, actor=staff)


def test_rating_outside_the_scale_is_refused(undertaken, yinchuan, staff, supervisor):
    supervision.claim_completion(undertaken, yinchuan, text="完成", actor=staff)
    with pytest.raises(TaskActionError, match="from 1 to 5"):
        supervision.close(undertaken, rating=7, actor=supervisor)
    assert KeyTask.objects.get(pk=undertaken.pk).closure == "claimed"


def test_a_task_of_the_cities_and_counties_splits_into_one_subtask_per_government(
    sample, supervisor, at
):
    at(dt.date(2024, 3, 1))
    task = table_task(6)  # 各市、县（区）负责，自治区有关部门（单位）配合
    group = TaskResponsibility.objects.filter(task=task, group="all-cities-and-counties")
    units = [row.unit for row in group.select_related("unit")]
    from shuzheng.tasks.selectors import units_to_split_among

    chosen = units_to_split_among(task, [], ["all-cities-and-counties"])
    assert chosen == units and len(units) >= 20  # 5 cities and their counties

    subtasks = supervision.decompose(task, units=chosen, actor=supervisor)
    assert len(subtasks) == len(units)
    assert {sub.unit for sub in subtasks} == set(units)
    first = subtasks[0]
    assert (
        first.parent == task and first.document is None and first.source_document == task.document
    )
    assert list(first.milestones.values_list("kind", "year")) == list(
        task.milestones.values_list("kind", "year")
    )
    assert task.document.tasks.count() == 124 + 0  # the document's list is unchanged
    with pytest.raises(TaskActionError, match="already split"):
        supervision.decompose(task, units=chosen, actor=supervisor)
    with pytest.raises(TaskActionError, match="assign the sub-tasks"):
        supervision.assign(task, units[0], actor=supervisor)


def test_per_year_decomposition_gives_one_subtask_per_year_and_one_for_ongoing_work(
    sample, supervisor, yinchuan, at
):
    at(dt.date(2023, 6, 1))
    task = table_task(18)  # 2023年形成机制, 长期坚持; 各市、县(区)分别负责
    subtasks = supervision.decompose(task, units=[yinchuan], per_year=True, actor=supervisor)
    assert [
        (sub.year, list(sub.milestones.values_list("kind", flat=True))) for sub in subtasks
    ] == [
        (2023, ["complete"]),
        (None, ["ongoing"]),
    ]


def test_subtask_lights_roll_up_into_the_parent(sample, supervisor, yinchuan, at):
    at(dt.date(2024, 3, 1))
    task = table_task(23)  # 2024年
    other = TaskResponsibility.objects.filter(task=task, unit__isnull=False).exclude(unit=yinchuan)
    second = other.first().unit
    yc_sub, other_sub = supervision.decompose(task, units=[yinchuan, second], actor=supervisor)
    KeyTask.objects.filter(pk=other_sub.pk).update(closure="confirmed")
    row = task_row(task, dt.date(2025, 1, 5))
    assert row.light == "red" and row.reason == "overdue"
    assert row.reason_text.startswith("银川市人民政府: ")
    KeyTask.objects.filter(pk=yc_sub.pk).update(closure="confirmed")
    row = task_row(task, dt.date(2025, 1, 5))
    assert (row.light, row.reason) == ("green", "all-subtasks-closed")


def test_only_units_responsible_for_a_task_can_be_split_among(task37, supervisor):
    from shuzheng.orgs.models import Unit

    stranger = Unit.objects.get(name="宁夏回族自治区财政厅")
    with pytest.raises(
        TaskActionError, match="Not responsible for this task: 宁夏回族自治区财政厅"
    ):
        supervision.decompose(task37, units=[stranger], actor=supervisor)
    assert not task37.subtasks.exists()


def test_a_task_entered_by_hand_reads_units_and_deadline_like_a_document_row(sample, supervisor):
    task = supervision.create_task(
        category="督查",
        content="建立督查台账",
        responsibility="自治区政府办公厅牵头，各地级市配合",
        deadline="2023年启动，2024年建成",
        actor=supervisor,
    )
    assert task.form == "manual" and task.document is None
    assert list(task.milestones.values_list("kind", "year")) == [
        ("start", 2023),
        ("complete", 2024),
    ]
    roles = set(task.responsibilities.values_list("role", "unit__name"))
    assert ("lead", "宁夏回族自治区人民政府办公厅") in roles and (
        "supporting",
        "银川市人民政府",
    ) in roles
    with pytest.raises(TaskActionError, match="could not be read: 明年某时"):
        supervision.create_task(
            category="", content="x", responsibility="", deadline="明年某时", actor=supervisor
        )


def test_settings_change_the_report_cycle_and_visibility(task37, supervisor):
    supervision.update_settings(task37, report_cycle="quarterly", is_public=True, actor=supervisor)
    task = KeyTask.objects.get(pk=task37.pk)
    assert (task.report_cycle, task.is_public) == ("quarterly", True)
    with pytest.raises(TaskActionError, match="monthly or quarterly"):
        supervision.update_settings(task, report_cycle="weekly", actor=supervisor)
