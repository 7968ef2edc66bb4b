"""The ledger as supervisors work it (issue 14, point 6): comments with @mentions and
watchers, 延期申请, bulk assignment, saved filters, exports as filtered, the 督办单 and the
情况通报 as PDF, the timeline by unit."""

import csv
import datetime as dt
from io import BytesIO, StringIO

import pytest
from openpyxl import load_workbook

from shuzheng.accounts.choices import Role
from shuzheng.audit.models import AuditEvent
from shuzheng.notifications.models import Notification
from shuzheng.tasks.models import Assignment, ExtensionRequest, Milestone, SavedFilter
from shuzheng.tasks.services import collaboration, supervision
from tests.pdfs import assert_fonts_embedded, pdf_text
from tests.tasks.conftest import make_user, table_task
from tests.tasks.factories import assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(task37, yinchuan, supervisor, at):
    at(dt.date(2024, 3, 1))
    supervision.assign(task37, yinchuan, actor=supervisor)
    return task37


def test_a_comment_notifies_the_person_it_mentions(assigned, supervisor, staff, client):
    client.force_login(supervisor)
    response = client.post(
        f"/tasks/{assigned.pk}/comment/", {"text": "请 @yc_staff 本周内补充佐证材料。"}
    )
    assert response.status_code == 302
    (notice,) = Notification.objects.filter(recipient=staff)
    assert notice.kind == "task_mentioned" and "补充佐证材料" in notice.params["text"]
    page = client.get(assigned.get_absolute_url())
    assert "请 @yc_staff 本周内补充佐证材料。" in page.content.decode()
    assert AuditEvent.objects.filter(action="tasks.comment").count() == 1


def test_a_mention_of_someone_who_cannot_read_the_task_changes_nothing(assigned, supervisor):
    make_user("citizen_li", Role.CITIZEN)
    with pytest.raises(supervision.TaskActionError, match="citizen_li"):
        collaboration.add_comment(assigned, text="@citizen_li 请看", actor=supervisor)
    with pytest.raises(supervision.TaskActionError, match="nobody"):
        collaboration.add_comment(assigned, text="@nobody 请看", actor=supervisor)
    assert not assigned.comments.exists() and not Notification.objects.exists()


def test_an_outsider_may_not_comment(assigned, client):

    client.force_login(make_user("enterprise", Role.ENTERPRISE))
    response = client.post(f"/tasks/{assigned.pk}/comment/", {"text": "外单位留言"})
    assert response.status_code == 403 and not assigned.comments.exists()


def test_watchers_hear_of_each_step(assigned, supervisor, staff, yinchuan):
    collaboration.watch(assigned, actor=supervisor)
    supervision.undertake(assigned, yinchuan, actor=staff)
    supervision.report(assigned, yinchuan, text="完成一半", percent=50, actor=staff)
    steps = [
        n.params["step"] for n in Notification.objects.filter(recipient=supervisor).order_by("pk")
    ]
    assert steps == ["tasks.undertake", "tasks.report"]
    collaboration.unwatch(assigned, actor=supervisor)
    supervision.report(assigned, yinchuan, text="完成八成", percent=80, actor=staff)
    assert Notification.objects.filter(recipient=supervisor).count() == 2


def test_an_extension_moves_the_deadline_only_when_approved(
    assigned, supervisor, staff, yinchuan, client
):
    milestone = assigned.milestones.get()
    client.force_login(staff)
    client.post(f"/tasks/{assigned.pk}/undertake/")
    response = client.post(
        f"/tasks/{assigned.pk}/extension/",
        {"milestone": milestone.pk, "proposed_due_on": "2025-06-30", "reason": "资金未到位"},
    )
    assert response.status_code == 302
    request = ExtensionRequest.objects.get()
    milestone.refresh_from_db()
    assert request.state == "pending" and milestone.due_on is None and milestone.year == 2024
    assert Notification.objects.filter(recipient=supervisor, kind="task_extension_requested")
    client.force_login(supervisor)
    client.post(f"/tasks/extensions/{request.pk}/decide/", {"approve": "yes", "note": "同意"})
    milestone.refresh_from_db()
    request.refresh_from_db()
    assert milestone.due_on == dt.date(2025, 6, 30) and request.state == "approved"
    assert request.current_due_on == dt.date(2024, 12, 31)
    assert Assignment.objects.get(task=assigned).due_on == dt.date(2025, 6, 30)
    event = AuditEvent.objects.get(action="tasks.approve_extension")
    assert event.before == {"due_on": "2024-12-31"} and event.after["due_on"] == "2025-06-30"
    assert Notification.objects.filter(recipient=staff, kind="task_extension_decided")
    html = client.get(assigned.get_absolute_url()).content.decode()
    assert "资金未到位" in html and "2025-06-30" in html
    with pytest.raises(supervision.TaskActionError):
        collaboration.decide_extension(request, approve=False, note="再议", actor=supervisor)


def test_a_refused_extension_keeps_the_deadline_and_needs_a_reason(
    assigned, supervisor, staff, yinchuan
):
    milestone = assigned.milestones.get()
    request = collaboration.request_extension(
        milestone, yinchuan, proposed_due_on=dt.date(2025, 3, 1), reason="人手不足", actor=staff
    )
    with pytest.raises(supervision.TaskActionError):
        collaboration.decide_extension(request, approve=False, note="", actor=supervisor)
    collaboration.decide_extension(request, approve=False, note="理由不充分", actor=supervisor)
    milestone.refresh_from_db()
    assert milestone.due_on is None and ExtensionRequest.objects.get().state == "refused"
    with pytest.raises(supervision.TaskActionError, match="after"):
        collaboration.request_extension(
            milestone, yinchuan, proposed_due_on=dt.date(2024, 6, 1), reason="x", actor=staff
        )


def test_bulk_assign_is_all_or_nothing(sample, supervisor, yinchuan, client, at):
    at(dt.date(2024, 3, 1))
    first, second, third = table_task(37), table_task(38), table_task(39)
    client.force_login(supervisor)
    response = client.post(
        "/tasks/bulk-assign/", {"tasks": [first.pk, second.pk], "unit": yinchuan.code}
    )
    assert response.status_code == 302
    assert set(Assignment.objects.values_list("task_id", flat=True)) == {first.pk, second.pk}
    client.post("/tasks/bulk-assign/", {"tasks": [second.pk, third.pk], "unit": yinchuan.code})
    assert not Assignment.objects.filter(task=third).exists()
    messages = [str(m) for m in client.get("/tasks/").context["messages"]]
    assert any("Nothing was assigned" in m and "38" in m for m in messages)


def test_saved_filters_are_each_persons_and_checked(sample, supervisor, staff, client):
    client.force_login(supervisor)
    client.post("/tasks/filters/", {"name": "红灯任务", "query": "light=red&page=3&bogus=1"})
    saved = SavedFilter.objects.get()
    assert saved.user == supervisor and saved.query == "light=red"
    page = client.get("/tasks/").content.decode()
    assert "红灯任务" in page and "?light=red" in page
    client.post("/tasks/filters/", {"name": "坏的", "query": "light=purple"})
    assert SavedFilter.objects.count() == 1
    client.force_login(staff)
    assert "红灯任务" not in client.get("/tasks/").content.decode()
    assert client.post(f"/tasks/filters/{saved.pk}/delete/").status_code == 403


def test_the_exports_are_the_ledger_as_filtered(sample, supervisor, client, at):
    at(dt.date(2024, 3, 1))
    client.force_login(supervisor)
    page = client.get("/tasks/", {"light": "red"})
    count = page.context["page"].paginator.count
    response = client.get("/tasks/export.csv", {"light": "red"})
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["序号", "任务内容", "类别"] and len(rows) == count + 1
    workbook = load_workbook(BytesIO(client.get("/tasks/export.xlsx", {"light": "red"}).content))
    sheet = workbook.active
    assert sheet.max_row == count + 2 and sheet["B2"].value == "任务内容"


def test_the_slip_and_the_circular_are_pdfs_with_their_font(assigned, supervisor, client):
    client.force_login(supervisor)
    slip = client.get(f"/tasks/{assigned.pk}/slip.pdf", headers={"accept-language": "zh-hans"})
    assert slip["Content-Type"] == "application/pdf"
    assert_fonts_embedded(slip.content)
    text = pdf_text(slip.content)
    assert "督办单" in text and "银川市人民政府" in text and "第 1 页" in text
    circular = client.get(
        "/tasks/circular.pdf",
        {"start": "2023-01-01", "end": "2024-02-29"},
        headers={"accept-language": "zh-hans"},
    )
    assert_fonts_embedded(circular.content)
    text = pdf_text(circular.content)
    assert "情况通报" in text and "红灯任务" in text
    bad = client.get("/tasks/circular.pdf", {"start": "2024-03-01", "end": "2023-01-01"})
    assert bad.status_code == 302


def test_the_slip_is_signed_by_the_configured_supervision_office(
    assigned, supervisor, client, settings
):
    client.force_login(supervisor)
    settings.SUPERVISION_OFFICE = "自治区人民政府督查室"
    slip = client.get(f"/tasks/{assigned.pk}/slip.pdf", headers={"accept-language": "zh-hans"})
    assert "自治区人民政府督查室" in pdf_text(slip.content)
    settings.SUPERVISION_OFFICE = ""
    slip = client.get(f"/tasks/{assigned.pk}/slip.pdf", headers={"accept-language": "zh-hans"})
    assert "督查室" in pdf_text(slip.content)


def test_the_timeline_draws_a_bar_per_milestone_by_unit(assigned, client, supervisor):
    client.force_login(supervisor)
    response = client.get("/tasks/timeline/", {"q": "数据分钟级共享"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "银川市人民政府" in html and 'data-due="2024-12-31"' in html
    assert html.count('class="bar light-') == Milestone.objects.filter(task=assigned).count()


def test_unit_staff_assign_nothing_in_bulk(sample, staff, yinchuan, client):
    task = table_task(37)
    assign(task, yinchuan)
    client.force_login(staff)
    assert client.post("/tasks/bulk-assign/", {"tasks": [task.pk]}).status_code == 403


def test_bulk_assign_takes_the_unit_by_its_name_and_refuses_an_unknown_one(
    sample, supervisor, yinchuan, client, at
):
    at(dt.date(2024, 3, 1))
    task = table_task(37)
    client.force_login(supervisor)
    page = client.get("/tasks/").content.decode()
    assert 'id="bulk-unit"' in page and "orgs/suggest/units/" in page  # a name box, no list
    client.post("/tasks/bulk-assign/", {"tasks": [task.pk], "unit": "没有这个单位"})
    assert not Assignment.objects.exists()
    messages = [str(m) for m in client.get("/tasks/").context["messages"]]
    assert any("没有这个单位" in m for m in messages)
    client.post("/tasks/bulk-assign/", {"tasks": [task.pk], "unit": yinchuan.name})
    assert Assignment.objects.get().unit == yinchuan
