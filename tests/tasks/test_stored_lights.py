"""Stored status lights (issue 5; docs/ledger.md, "Stored lights").

Every service that changes a task stores its light in the same transaction, as the one rule
set (tasks.status, through selectors.build_rows) judges it; ``shuzheng refreshlights``
recomputes only the lights whose change day has come; the ledger page and ``tasks_list``
filter, sort and count by the stored light in SQL and agree with ``ledger_rows``.
"""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuzheng import clock
from shuzheng.documents.services import ingest_file
from shuzheng.orgs.services import load_sample_registry
from shuzheng.tasks.filtersets import SORTS
from shuzheng.tasks.models import KeyTask
from shuzheng.tasks.selectors import (
    LedgerFilters,
    ledger_listing,
    ledger_rows,
    stale_light_tasks,
)
from shuzheng.tasks.services import lights, supervision
from tests.tasks.conftest import SAMPLE, table_task
from tests.tasks.factories import add_report, assign, make_task

pytestmark = pytest.mark.django_db

MARCH = dt.date(2024, 3, 1)


def stored(task):
    task = KeyTask.objects.get(pk=task.pk)
    return (task.light, task.light_reason)


def assert_stored_as_judged(today, tasks=None):
    """The stored light of every task (or ``tasks``) is the ledger's row light as of today."""
    rows = ledger_rows(LedgerFilters(include_subtasks=True), today, tasks=tasks)
    assert rows
    stored_rows = {
        task.pk: (task.light, task.light_reason, task.next_due_on, task.light_computed_on)
        for task in KeyTask.objects.filter(pk__in=[row.task.pk for row in rows])
    }
    for row in rows:
        assert stored_rows[row.task.pk] == (
            str(row.light),
            str(row.reason),
            row.next_due_on,
            today,
        ), row.task
        changes_on = KeyTask.objects.get(pk=row.task.pk).light_changes_on
        assert changes_on is None or changes_on > today


def test_ingestion_stores_every_tasks_light(db):
    with clock.frozen_at(MARCH):
        load_sample_registry()
        ingest_file(SAMPLE.read_bytes(), SAMPLE.name, actor=None)
        assert KeyTask.objects.count() == 144
        assert not stale_light_tasks(MARCH).exists()
        assert_stored_as_judged(MARCH)
        assert KeyTask.objects.filter(light="red").count() == 42


def test_each_step_of_the_cycle_stores_the_light(task37, yinchuan, supervisor, staff, at):
    at(MARCH)
    task = task37
    supervision.assign(task, yinchuan, actor=supervisor)
    assert_stored_as_judged(MARCH, KeyTask.objects.filter(pk=task.pk))
    supervision.undertake(task, yinchuan, actor=staff)
    assert_stored_as_judged(MARCH, KeyTask.objects.filter(pk=task.pk))

    at(dt.date(2024, 5, 2))  # the reports for March and April were due: a report is missing
    refreshed = KeyTask.objects.get(pk=task.pk)
    assert refreshed.light_changes_on <= dt.date(2024, 5, 2)  # so its light is out of date
    supervision.report(task, yinchuan, text="进展", percent=30, actor=staff)
    assert stored(task) == ("green", "on-track")
    assert_stored_as_judged(dt.date(2024, 5, 2), KeyTask.objects.filter(pk=task.pk))

    supervision.claim_completion(task, yinchuan, text="完成", actor=staff)
    assert stored(task) == ("green", "closure-claimed")
    supervision.reject(task, reason="缺少佐证", actor=supervisor)
    assert stored(task) == ("green", "on-track")
    supervision.claim_completion(task, yinchuan, text="完成", actor=staff)
    supervision.close(task, rating=5, actor=supervisor)
    assert stored(task) == ("grey", "task-closed")
    assert KeyTask.objects.get(pk=task.pk).light_changes_on is None  # time changes nothing


def test_a_task_entered_by_hand_and_its_settings_store_the_light(supervisor, at):
    at(dt.date(2024, 7, 10))
    task = supervision.create_task(
        category="", content="建立台账", responsibility="", deadline="2024年", actor=supervisor
    )
    assert stored(task) == ("green", "on-track")
    at(dt.date(2024, 8, 15))  # no report for July: monthly reporting is late
    supervision.update_settings(task, is_public=True, actor=supervisor)
    assert stored(task) == ("yellow", "report-missing")
    supervision.update_settings(task, report_cycle="quarterly", actor=supervisor)
    assert stored(task) == ("green", "on-track")  # the quarter's report is due on 09-30


def test_splitting_a_task_stores_the_sub_tasks_and_the_rolled_up_light(sample, supervisor, at):
    at(MARCH)
    task = table_task(6)
    units = [row.unit for row in task.responsibilities.filter(group="all-cities-and-counties")]
    subtasks = supervision.decompose(task, units=units, actor=supervisor)
    family = KeyTask.objects.filter(pk__in=[task.pk, *(sub.pk for sub in subtasks)])
    assert_stored_as_judged(MARCH, family)
    parent = KeyTask.objects.get(pk=task.pk)
    assert parent.light_changes_on == min(
        sub.light_changes_on for sub in KeyTask.objects.filter(parent=task)
    )


def test_editing_milestones_in_the_admin_stores_the_light(task37, admin_client, at):
    at(MARCH)
    lights.refresh_stale_lights(MARCH)
    milestone = task37.milestones.get()
    assert stored(task37)[0] != "red"
    data = {
        "number": task37.number,
        "category": task37.category,
        "content": task37.content,
        "raw_responsibility": task37.raw_responsibility,
        "deadline_text": "2023年",
        "form": task37.form,
        "report_cycle": task37.report_cycle,
        "closure": task37.closure,
        "document": task37.document_id,
        "responsibilities-TOTAL_FORMS": "0",
        "responsibilities-INITIAL_FORMS": "0",
        "milestones-TOTAL_FORMS": "1",
        "milestones-INITIAL_FORMS": "1",
        "milestones-0-id": milestone.pk,
        "milestones-0-task": task37.pk,
        "milestones-0-kind": "complete",
        "milestones-0-year": "2023",
        "milestones-0-text": "2023年",
    }
    response = admin_client.post(f"/admin/tasks/keytask/{task37.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert stored(task37) == ("red", "overdue")


def test_the_clock_past_a_milestone_and_a_refresh_turn_a_task_red(units_pair):
    unit = units_pair
    with clock.frozen_at(dt.date(2024, 12, 20)):
        task = make_task(1, unit, due=dt.date(2024, 12, 31))
        assign(task, unit, on=dt.date(2024, 12, 1))
        add_report(task, unit, dt.date(2024, 12, 15))
        assert stored(task) == ("green", "due-soon-reported")
    with clock.frozen_at(dt.date(2025, 1, 2)):
        assert stored(task) == ("green", "due-soon-reported")  # nothing ran yet
        call_command("refreshlights", stdout=StringIO())
        assert stored(task) == ("red", "overdue")
        assert KeyTask.objects.get(pk=task.pk).light_computed_on == dt.date(2025, 1, 2)


def test_refreshlights_is_incremental_and_idempotent(sample, at):
    at(MARCH)
    call_command("refreshlights", "--all", stdout=StringIO())
    out = StringIO()
    call_command("refreshlights", stdout=out)
    assert out.getvalue().startswith("0 task lights recomputed as of 2024-03-01")

    day = dt.date(2024, 12, 1)  # 2024's milestones enter the yellow window; 2025's do not
    due = set(KeyTask.objects.filter(light_changes_on__lte=day).values_list("pk", flat=True))
    assert 0 < len(due) < KeyTask.objects.count()
    before = dict(KeyTask.objects.values_list("pk", "light_computed_on"))
    done = lights.refresh_stale_lights(day)
    assert done.tasks == len(due)
    after = dict(KeyTask.objects.values_list("pk", "light_computed_on"))
    assert {pk for pk in after if after[pk] != before[pk]} == due
    assert not stale_light_tasks(day).exists()
    assert lights.refresh_stale_lights(day).tasks == 0
    with clock.frozen_at(day):
        # what the untouched lights say still holds on the new day
        assert_stored_as_judged_except_computed_on(day)


def assert_stored_as_judged_except_computed_on(today):
    rows = ledger_rows(LedgerFilters(include_subtasks=True), today)
    lights = dict(KeyTask.objects.values_list("pk", "light"))
    reasons = dict(KeyTask.objects.values_list("pk", "light_reason"))
    assert [(lights[r.task.pk], reasons[r.task.pk]) for r in rows] == [
        (str(r.light), str(r.reason)) for r in rows
    ]


def test_remind_brings_the_lights_up_to_date_first(sample, at):
    at(MARCH)
    out = StringIO()
    call_command("remind", "--date", "2024-04-01", stdout=out)
    assert "task lights recomputed as of 2024-04-01" in out.getvalue()
    assert not stale_light_tasks(dt.date(2024, 4, 1)).exists()


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("light", ["", "red", "yellow", "green"])
def test_the_sql_listing_agrees_with_ledger_rows(sample, at, sort, light):
    at(MARCH)
    lights.refresh_stale_lights(MARCH)
    filters = LedgerFilters(light=light, sort=sort)
    expected = [row.task.pk for row in ledger_rows(filters, MARCH)]
    listing = ledger_listing(filters, MARCH)
    listed = [row.task.pk for row in listing]
    assert listing.count() == len(expected)
    if sort == "category":  # the database's collation orders the categories themselves
        by_category = {}
        for pk in listed:
            by_category.setdefault(KeyTask.objects.get(pk=pk).category, []).append(pk)
        expected_by_category = {}
        for pk in expected:
            expected_by_category.setdefault(KeyTask.objects.get(pk=pk).category, []).append(pk)
        assert by_category == expected_by_category
    else:
        assert listed == expected
    assert [row.light for row in listing[:10]] == [
        row.light for row in ledger_rows(filters, MARCH)[:10]
    ]


def test_a_page_reads_only_its_rows_facts(sample, at):
    at(MARCH)
    lights.refresh_stale_lights(MARCH)
    listing = ledger_listing(LedgerFilters(), MARCH)
    with CaptureQueriesContext(connection) as queries:
        rows = listing[25:50]
    assert len(rows) == 25 and len(queries.captured_queries) == 6  # ids + build_rows' five
    milestones = next(q["sql"] for q in queries.captured_queries if "tasks_milestone" in q["sql"])
    assert "tasks_keytask" not in milestones.split("WHERE", 1)[1]


def test_out_of_date_lights_wait_for_the_command_and_the_page_says_so(
    sample, supervisor, client, at
):
    at(MARCH)
    lights.refresh_stale_lights(MARCH)  # the scheduled refresh of the day
    client.force_login(supervisor)
    assert b"ledger-lights-age" not in client.get("/tasks/").content
    day = dt.date(2024, 12, 1)  # 2024's milestones enter the yellow window
    at(day)
    first_change = min(stale_light_tasks(day).values_list("light_changes_on", flat=True))
    page = client.get("/tasks/")
    age = page.context["lights_age"]
    assert age.stale == stale_light_tasks(day).count() > 5  # nothing was recomputed
    assert age.held_through == first_change - dt.timedelta(days=1)
    html = page.content.decode()
    assert 'id="ledger-lights-age"' in html and age.held_through.isoformat() in html
    call_command("refreshlights", stdout=StringIO())
    page = client.get("/tasks/")
    assert page.context["lights_age"] is None and b"ledger-lights-age" not in page.content


@pytest.mark.parametrize("path", ["/tasks/", "/api/v1/tasks/"])
def test_a_page_view_never_refreshes_a_light_the_refresh_does(sample, supervisor, client, at, path):
    at(MARCH)
    lights.refresh_stale_lights(MARCH)
    task = table_task(37)
    KeyTask.objects.filter(pk=task.pk).update(light="", light_reason="", light_computed_on=None)
    client.force_login(supervisor)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, {"light": "green"}).status_code == 200
    assert stored(task) == ("", "")
    assert not [
        q for q in queries.captured_queries if "UPDATE" in q["sql"] and "tasks_" in q["sql"]
    ]
    assert not [q for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert client.get("/tasks/").context["lights_age"].stale == 1
    lights.refresh_stale_lights(MARCH)
    assert stored(task) != ("", "")
    assert client.get("/tasks/").context["lights_age"] is None


@pytest.mark.parametrize("path", ["/tasks/", "/api/v1/tasks/"])
def test_the_ledger_list_keeps_its_query_budget_with_the_ledgers_size(
    units_pair, admin_client, path, at
):
    unit = units_pair
    at(MARCH)
    for number in range(1, 4):
        assign(make_task(number, unit), unit)
    admin_client.get(path)
    with CaptureQueriesContext(connection) as small:
        admin_client.get(path, {"light": "yellow", "sort": "light"})
    for number in range(4, 80):
        task = make_task(number, unit)
        assign(task, unit)
        add_report(task, unit, dt.date(2024, 2, 1))
    with CaptureQueriesContext(connection) as large:
        admin_client.get(path, {"light": "yellow", "sort": "light"})
    # 17: one of them lists the units whose seal the user may apply (the 盖章下载 form).
    assert len(large.captured_queries) == len(small.captured_queries) <= 17


@pytest.fixture
def units_pair(matrix_world):
    return matrix_world.unit
