"""tasks.light_changes: until when a stored light stays true (issue 5, stored lights).

The property that matters: on every day from ``today`` up to the day before the returned
date, ``tasks.status.task_status`` gives the same light and reason; on the returned date it
gives another one (or a future report takes effect). Checked day by day on seeded random tasks.
"""

import random
from datetime import date, timedelta

import pytest

from shuzheng.documents.parsing.model import MilestoneKind
from shuzheng.tasks.deadlines import ReportCycle
from shuzheng.tasks.light_changes import next_light_change
from shuzheng.tasks.status import (
    Closure,
    LightPolicy,
    MilestoneFacts,
    Report,
    TaskFacts,
    task_status,
)

ASSIGNED = date(2023, 5, 16)
POLICY = LightPolicy(yellow_window_days=30, recent_report_days=30)


def key(facts, day, policy=POLICY):
    status = task_status(facts, day, policy)
    return (status.light, status.reason)


def test_a_task_due_at_year_end_turns_yellow_then_red():
    facts = TaskFacts(
        (MilestoneFacts.from_deadline(MilestoneKind.COMPLETE, 2024),),
        (Report(date(2024, 11, 25)),),
        ASSIGNED,
        ReportCycle.MONTHLY,
    )
    # due 2024-12-31; reported on 11-25, so green (recent report) while due soon ...
    assert key(facts, date(2024, 12, 10)) == ("green", "due-soon-reported")
    # ... until the report is no longer recent (30 days: through 12-25)
    assert next_light_change(facts, date(2024, 12, 10), POLICY) == date(2024, 12, 26)
    assert next_light_change(facts, date(2024, 12, 26), POLICY) == date(2025, 1, 1)
    assert key(facts, date(2025, 1, 1)) == ("red", "overdue")
    assert next_light_change(facts, date(2025, 1, 1), POLICY) is None


def test_a_confirmed_task_never_changes_by_itself():
    facts = TaskFacts(
        (MilestoneFacts.from_deadline(MilestoneKind.COMPLETE, 2024),),
        (Report(date(2024, 3, 1), claimed_complete=True),),
        ASSIGNED,
        ReportCycle.MONTHLY,
        Closure.CONFIRMED,
    )
    assert next_light_change(facts, date(2024, 3, 2), POLICY) is None


def test_a_future_report_is_a_change_on_its_day():
    facts = TaskFacts(
        (MilestoneFacts.from_deadline(MilestoneKind.COMPLETE, 2030),),
        (Report(date(2024, 4, 10)),),
        ASSIGNED,
        ReportCycle.QUARTERLY,
    )
    assert next_light_change(facts, date(2024, 3, 1), POLICY) <= date(2024, 4, 10)


SEED = 20230516


def random_day(rng):
    return date(2024, 6, 1) + timedelta(days=rng.randint(-120, 120))


def random_task(rng):
    milestones = []
    for _ in range(rng.randint(0, 3)):
        kind = rng.choice(list(MilestoneKind))
        achieved = random_day(rng) if rng.random() < 0.3 else None
        due = None if kind == MilestoneKind.ONGOING else random_day(rng)
        milestones.append(MilestoneFacts(kind, due, achieved))
    reports = [Report(random_day(rng)) for _ in range(rng.randint(0, 3))]
    closure = rng.choice(list(Closure))
    if closure == Closure.CLAIMED or rng.random() < 0.3:
        reports.append(Report(random_day(rng), claimed_complete=True))
    cycle = rng.choice(list(ReportCycle))
    return TaskFacts(tuple(milestones), tuple(reports), random_day(rng), cycle, closure)


def random_policy(rng):
    return LightPolicy(
        yellow_window_days=rng.randint(0, 60),
        recent_report_days=rng.randint(0, 60),
        report_grace_days=rng.randint(0, 10),
    )


@pytest.mark.parametrize("case", range(300))
def test_the_light_holds_until_the_change_day_and_changes_on_it(case):
    rng = random.Random(SEED + case)
    facts, today, policy = random_task(rng), random_day(rng), random_policy(rng)
    change = next_light_change(facts, today, policy)
    current = key(facts, today, policy)
    last = change or today + timedelta(days=800)
    day = today + timedelta(days=1)
    while day < last:
        assert key(facts, day, policy) == current, day
        day += timedelta(days=1)
    if change is not None:
        assert change > today
        future_reports = [r.on for r in facts.reports if r.on > today]
        assert key(facts, change, policy) != current or change == min(future_reports)
