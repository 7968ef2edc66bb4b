"""When will a task's status light change by the passage of time alone? No Django.

The ledger stores each task's light (issue 5: the ledger page filters, sorts and paginates
100,000 tasks in SQL), so it must know until when a stored light stays true. The light
itself is only ever decided by ``tasks.status.task_status`` — this module does not restate
its rules. It lists the days on which one of the rule's inputs crosses a threshold (a due
date, the yellow window before it, a report due date, the end of the "recent report"
window, a report or an achievement taking effect) and asks ``task_status`` on each of them,
earliest first, until the light or the reason code differs from today's. Between two such
days every comparison the rules make has the same outcome, so nothing can change there.
"""

from __future__ import annotations

from datetime import date, timedelta

from shuzheng.tasks.deadlines import next_report_due
from shuzheng.tasks.status import LightPolicy, TaskFacts, TaskStatus, task_status

ONE_DAY = timedelta(days=1)


def next_light_change(facts: TaskFacts, today: date, policy: LightPolicy) -> date | None:
    """The first day after ``today`` on which the task's light or reason code differs from
    today's, or None when time alone never changes it (e.g. a task closed, 办结).

    A report dated after ``today`` is taken as a change on its own day: the caller may hold
    only the first of several future reports, so the light is recomputed when it arrives.
    """
    current = _key(task_status(facts, today, policy))
    future_reports = [report.on for report in facts.reports if report.on > today]
    horizon = min(future_reports, default=None)
    for day in threshold_days(facts, today, policy):
        if horizon is not None and day >= horizon:
            return horizon
        if _key(task_status(facts, day, policy)) != current:
            return day
    return horizon


def threshold_days(facts: TaskFacts, today: date, policy: LightPolicy) -> list[date]:
    """Every day after ``today`` on which one comparison of ``tasks.status`` may flip, sorted.

    The rules compare today with: each milestone's due date (overdue the day after; within
    the yellow window from ``due − yellow_window_days``), its achievement date, the next
    report due date (which depends only on the last report so far: none, or one of the
    reports) in the same two ways, and the last report plus ``recent_report_days``.
    """
    yellow = timedelta(days=policy.yellow_window_days)
    recent = timedelta(days=policy.recent_report_days)
    days: set[date] = set()
    for milestone in facts.milestones:
        if milestone.due_on is not None:
            days.update((milestone.due_on - yellow, milestone.due_on + ONE_DAY))
        if milestone.achieved_on is not None:
            days.add(milestone.achieved_on)
    last_reports: list[date | None] = [None]
    for report in facts.reports:
        days.update((report.on, report.on + recent + ONE_DAY))
        last_reports.append(report.on)
    for last in last_reports:
        due = next_report_due(facts.report_cycle, last, facts.assigned_on, policy.report_grace_days)
        days.update((due - yellow, due + ONE_DAY))
    return sorted(day for day in days if day > today)


def _key(status: TaskStatus) -> tuple[str, str]:
    return (str(status.light), str(status.reason))
