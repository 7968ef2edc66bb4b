"""The ledger's pages (issue 5, item 4): filters, lights with text, task page, actions."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuzheng.tasks.models import KeyTask, ProgressReport
from shuzheng.tasks.services import lights, supervision
from tests.tasks.factories import PDF, add_report, assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def test_the_ledger_shows_each_light_as_text_and_filters_by_light(
    sample, supervisor, signed_in, at
):
    at(dt.date(2024, 3, 1))
    lights.refresh_stale_lights(dt.date(2024, 3, 1))  # the scheduled refresh of the day
    client = signed_in(supervisor)
    page = client.get("/tasks/", {"light": "red", "sort": "deadline"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="light light-red"' in html and "Was due on 2023-12-31" in html
    assert "light-yellow" not in html and "light-green" not in html
    # 31 tasks with a 2023 milestone (overdue) and 11 ongoing ones without a report
    assert page.context["page"].paginator.count == 42
    partial = client.get("/tasks/", {"light": "red"}, headers={"HX-Request": "true"})
    assert b"<form" not in partial.content and b"ledger-task-" in partial.content


def test_the_ledger_filters_by_unit_year_document_and_category(sample, supervisor, signed_in):
    client = signed_in(supervisor)
    from shuzheng.documents.models import Document
    from shuzheng.orgs.models import Unit

    yinchuan = Unit.objects.get(name="银川市人民政府")
    page = client.get("/tasks/", {"unit": yinchuan.code, "year": 2024, "sort": "number"})
    numbers = [row.task.number for row in page.context["page"].paginator.object_list]
    assert 37 in numbers and all(
        KeyTask.objects.get(pk=row.task.pk).milestones.filter(year=2024).exists()
        for row in page.context["page"].paginator.object_list
    )
    opinion = Document.objects.get(doc_number="宁政发〔2023〕17号")
    page = client.get("/tasks/", {"document": opinion.pk})
    assert page.context["page"].paginator.count == 124
    category = KeyTask.objects.filter(document=opinion).first().category
    page = client.get("/tasks/", {"category": category})
    assert {row.task.category for row in page.context["page"].paginator.object_list} == {category}


def test_the_public_sees_only_public_tasks(sample, client):
    assert client.get("/tasks/").context["page"].paginator.count == 0
    KeyTask.objects.filter(number=37, form="table").update(is_public=True)
    page = client.get("/tasks/")
    assert page.context["page"].paginator.count == 1


def test_unit_staff_see_their_units_tasks(staff, signed_in):
    page = signed_in(staff).get("/tasks/")
    count = page.context["page"].paginator.count
    assert 0 < count < 144
    assert all(
        row.task.responsibilities.filter(unit=staff.unit).exists()
        for row in page.context["page"].paginator.object_list
    )


def test_the_ledger_page_keeps_a_query_budget(sample, supervisor, signed_in, yinchuan, at):
    """A fixed number of queries whatever the number of tasks, reports and assignments."""
    client = signed_in(supervisor)
    client.get("/tasks/")
    with CaptureQueriesContext(connection) as before:
        client.get("/tasks/", {"sort": "light"})
    tasks = list(KeyTask.objects.filter(form="table")[:40])
    for task in tasks:
        assign(task, yinchuan)
        add_report(task, yinchuan, dt.date(2024, 1, 5))
    with CaptureQueriesContext(connection) as after:
        client.get("/tasks/", {"sort": "light"})
    assert len(after.captured_queries) == len(before.captured_queries) <= 16


def test_task_page_links_to_its_source_paragraph(task37, supervisor, signed_in):
    html = signed_in(supervisor).get(f"/tasks/{task37.pk}/").content.decode()
    document = task37.document
    assert f'href="/documents/{document.pk}/#task-table-37"' in html
    assert f"#{task37.section.anchor}" in html
    assert "银川市人民政府" in html  # an assignable owner


def test_the_cycle_through_the_pages(task37, yinchuan, supervisor, staff, client, media, at):
    at(dt.date(2024, 3, 1))
    client.force_login(supervisor)
    response = client.post(f"/tasks/{task37.pk}/assign/", {"unit": yinchuan.code})
    assert response.status_code == 302 and response["Location"] == f"/tasks/{task37.pk}/"

    client.force_login(staff)
    mine = client.get("/tasks/mine/")
    assert [(row.task.pk, action) for row, action in mine.context["items"]] == [
        (task37.pk, "accept")
    ]
    client.post(f"/tasks/{task37.pk}/undertake/")
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        f"/tasks/{task37.pk}/report/",
        {"text": "完成一半", "percent": "50", "evidence": SimpleUploadedFile("a.pdf", PDF)},
    )
    report = ProgressReport.objects.get()
    assert report.percent == 50
    page = client.get(f"/tasks/{task37.pk}/").content.decode()
    evidence = report.evidence.get()
    assert f'href="/tasks/evidence/{evidence.pk}/"' in page
    download = client.get(f"/tasks/evidence/{evidence.pk}/")
    assert b"".join(download.streaming_content) == PDF
    assert 'filename="a.pdf"' in download["Content-Disposition"]
    assert "Accepted (承办)" in page and "Progress reported (反馈)" in page  # the timeline


def test_a_refused_step_shows_its_reason_and_changes_nothing(task37, yinchuan, supervisor, client):
    client.force_login(supervisor)
    response = client.post(f"/tasks/{task37.pk}/close/", {}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("Only a task whose completion was claimed" in m or "办结" in m for m in messages)
    assert KeyTask.objects.get(pk=task37.pk).closure == "open"


def test_an_unsafe_upload_is_refused_with_a_message(task37, yinchuan, supervisor, staff, client):
    supervision.assign(task37, yinchuan, actor=supervisor)
    supervision.undertake(task37, yinchuan, actor=staff)
    client.force_login(staff)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/tasks/{task37.pk}/report/",
        {"text": "x", "evidence": SimpleUploadedFile("tool.exe", b"MZ")},
        follow=True,
    )
    assert any("tool.exe" in str(m) for m in response.context["messages"])
    assert not ProgressReport.objects.exists()


def test_supervisor_splits_a_task_from_its_page(sample, supervisor, client):
    from tests.tasks.conftest import table_task

    task = table_task(6)
    client.force_login(supervisor)
    client.post(f"/tasks/{task.pk}/decompose/", {"groups": ["all-cities-and-counties"]})
    assert (
        task.subtasks.count()
        == task.responsibilities.filter(group="all-cities-and-counties").count()
    )
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "Sub-tasks" in page or "子任务" in page


def test_supervisor_adds_a_task_by_hand(sample, supervisor, client):
    client.force_login(supervisor)
    response = client.post(
        "/tasks/new/",
        {"content": "建立督查台账", "deadline": "2024年", "report_cycle": "quarterly"},
    )
    task = KeyTask.objects.get(form="manual")
    assert response["Location"] == f"/tasks/{task.pk}/" and task.report_cycle == "quarterly"
    bad = client.post(
        "/tasks/new/", {"content": "x", "deadline": "某时", "report_cycle": "monthly"}
    )
    assert bad.status_code == 400 and KeyTask.objects.filter(form="manual").count() == 1
