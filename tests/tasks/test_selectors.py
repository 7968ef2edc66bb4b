"""Read functions the dashboard and the assessment build on: ledger rows and unit facts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuzheng.tasks.models import KeyTask
from shuzheng.tasks.scoring import load_rules, score_unit
from shuzheng.tasks.selectors import LedgerFilters, ledger_rows, unit_facts
from tests.tasks.factories import add_report, assign, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(matrix_world):
    return matrix_world.unit, matrix_world.other_unit


def test_unit_facts_count_milestones_reports_ratings_and_overdue_items(units):
    unit, other = units
    on_time = make_task(1, unit, due=dt.date(2024, 6, 30))
    assign(on_time, unit, on=dt.date(2024, 1, 10))
    on_time.milestones.update(due_on=dt.date(2024, 6, 30), achieved_on=dt.date(2024, 6, 1))
    KeyTask.objects.filter(pk=on_time.pk).update(closure="confirmed", closed_on=dt.date(2024, 6, 2))
    on_time.assignments.update(rating=4)
    for day in (dt.date(2024, 1, 20), dt.date(2024, 2, 15), dt.date(2024, 4, 3)):
        add_report(on_time, unit, day)

    late = make_task(2, unit, due=dt.date(2024, 3, 31))
    assign(late, unit, on=dt.date(2024, 1, 10))
    late.milestones.update(due_on=dt.date(2024, 3, 31))
    not_yet = make_task(3, unit, due=dt.date(2024, 12, 31))
    assign(not_yet, unit, on=dt.date(2024, 1, 10))
    make_task(4, other, due=dt.date(2024, 3, 31))

    facts = unit_facts(2024, dt.date(2024, 7, 15))
    assert set(facts) == {unit.pk}  # the unassigned task of the other unit counts for nobody
    mine = facts[unit.pk]
    assert (mine.unit, mine.region) == ("Matrix Unit", "Matrix Region")
    assert (mine.milestones_due, mine.milestones_met_on_time, mine.overdue_items) == (2, 1, 1)
    # Monthly periods Jan–Jun were due by 07-15: task 1 until its closure on 06-02 (Jan–May,
    # reported in Jan, Feb, Apr), tasks 2 and 3 for six months each, never reported.
    assert (mine.reports_due, mine.reports_on_time) == (5 + 6 + 6, 3)
    assert mine.ratings == (4,)
    card = score_unit(mine, load_rules("src/shuzheng/tasks/data/assessment-2023.json"))
    assert card.total > 0


def test_unit_facts_run_a_fixed_number_of_queries(units):
    unit, _other = units
    for number in range(1, 6):
        task = make_task(number, unit)
        assign(task, unit)
        add_report(task, unit, dt.date(2024, 2, 1))
    with CaptureQueriesContext(connection) as queries:
        unit_facts(2024, dt.date(2024, 7, 1))
    assert len(queries.captured_queries) <= 4


def test_ledger_rows_run_five_queries_for_any_number_of_tasks(units):
    unit, _other = units
    for number in range(1, 30):
        task = make_task(number, unit)
        assign(task, unit)
        add_report(task, unit, dt.date(2024, 2, 1), percent=number)
    with CaptureQueriesContext(connection) as queries:
        rows = ledger_rows(LedgerFilters(), dt.date(2024, 3, 1))
    assert len(rows) == 29 and len(queries.captured_queries) == 5
    assert rows[4].last_percent == 5 and rows[4].units == [unit]


def test_reports_after_today_do_not_count(units):
    unit, _other = units
    task = make_task(1, unit)
    assign(task, unit, on=dt.date(2024, 1, 10))
    add_report(task, unit, dt.date(2024, 5, 1), percent=80)
    (row,) = ledger_rows(LedgerFilters(), dt.date(2024, 3, 1))
    assert row.last_report_on is None and row.last_percent is None
    assert (row.light, row.reason) == ("yellow", "report-missing")


def test_the_yellow_window_comes_from_settings(units, settings):
    unit, _other = units
    task = make_task(1, unit, due=dt.date(2024, 12, 31))
    assign(task, unit, on=dt.date(2024, 11, 1))
    add_report(task, unit, dt.date(2024, 11, 5))
    today = dt.date(2024, 11, 20)
    assert ledger_rows(LedgerFilters(), today)[0].reason == "on-track"
    settings.LEDGER_YELLOW_DAYS = 60
    settings.LEDGER_RECENT_REPORT_DAYS = 10
    assert ledger_rows(LedgerFilters(), today)[0].reason == "due-soon-unreported"


def test_unit_facts_count_milestones_given_only_as_a_year(units):
    """Most sample milestones read "2023年…": due on 31 December, with no due_on stored."""
    unit, _other = units
    met = make_task(1, unit, due=dt.date(2023, 12, 31))
    assign(met, unit, on=dt.date(2023, 1, 10))
    met.milestones.update(achieved_on=dt.date(2023, 11, 30))
    missed = make_task(2, unit, due=dt.date(2023, 12, 31))
    assign(missed, unit, on=dt.date(2023, 1, 10))
    assert not met.milestones.filter(due_on__isnull=False).exists()

    mine = unit_facts(2023, dt.date(2024, 1, 5))[unit.pk]
    assert (mine.milestones_due, mine.milestones_met_on_time, mine.overdue_items) == (2, 1, 1)


def test_a_task_assigned_later_counts_for_the_year_of_its_deadline(units):
    """Issue 14: tasks assigned in 2026 with 2023 deadlines never reached the 2023 assessment."""
    unit, _other = units
    task = make_task(1, unit, due=dt.date(2023, 12, 31))
    assign(task, unit, on=dt.date(2026, 3, 2))
    never = make_task(2, unit, due=dt.date(2027, 12, 31))
    assign(never, unit, on=dt.date(2026, 3, 2))  # neither assigned nor due in 2023

    mine = unit_facts(2023, dt.date(2026, 3, 10))[unit.pk]
    assert (mine.milestones_due, mine.milestones_met_on_time, mine.overdue_items) == (1, 0, 1)
    assert mine.reports_due == 0  # reporting starts with the assignment, in 2026


def test_milestones_still_open_from_earlier_years_are_overdue_in_the_year(units):
    """Issue 14: a unit holding two red, overdue tasks scored 80.00 with "0 overdue items"."""
    unit, _other = units
    late_2024 = make_task(1, unit, due=dt.date(2024, 12, 31))
    assign(late_2024, unit, on=dt.date(2024, 1, 10))
    late_2025 = make_task(2, unit, due=dt.date(2025, 12, 31))
    assign(late_2025, unit, on=dt.date(2026, 11, 20))
    done_late = make_task(3, unit, due=dt.date(2024, 12, 31))
    assign(done_late, unit, on=dt.date(2024, 1, 10))
    done_late.milestones.update(achieved_on=dt.date(2025, 3, 1))  # not open in 2026

    mine = unit_facts(2026, dt.date(2026, 12, 2))[unit.pk]
    assert (mine.milestones_due, mine.milestones_met_on_time, mine.overdue_items) == (2, 0, 2)
    card = score_unit(mine, load_rules("src/shuzheng/tasks/data/assessment-2023.json"))
    assert card.points_of("overdue-deduction") == 6  # 2 items × 2 deducted from 10
    assert card.points_of("milestones-on-time") == 0
    # In 2025, judged on 31 December 2025, the 2024 task achieved in March 2025 was open at
    # the start but not on the assessment day: only the first task is carried over, and
    # the second is due in 2025 itself.
    before = unit_facts(2025, dt.date(2026, 12, 2))[unit.pk]
    assert (before.milestones_due, before.overdue_items) == (2, 2)
