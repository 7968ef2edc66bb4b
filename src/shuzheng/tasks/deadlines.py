"""When things are due in the key-task ledger: milestones, progress reports and reminders.

Plain Python, no Django: the ledger (issue 5, "Key-task ledger and supervision": 一本账 ·
督查督办 · 考核) and the status lights (``tasks.status``) take every date from here, so one
rule decides what "due" means everywhere.

Sources of the rules:

* the 完成时限 column of the sample task list (宁政发〔2023〕17号, attachment 2) gives years, not
  dates ("2023年", "2023年启动，2024年建成"), so a year-only milestone is due at the end of that
  year; 持续推进 / 长期坚持 has no end date at all and is followed through periodic reports;
* seed task 109 (优化完善"互联网+督查"机制) and seed task 124 (定期开展督促检查) ask for
  regular progress reports (反馈) and reminders (催办) before and after a due date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from shuzheng.documents.parsing.model import MilestoneKind

ONE_DAY = timedelta(days=1)


class ReportCycle(StrEnum):
    """How often a task's responsible unit reports progress (反馈周期)."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


def milestone_due_on(kind: str, year: int | None = None, on: date | None = None) -> date | None:
    """The date a milestone falls due, or None for an ongoing one.

    Rule (issue 5; 完成时限 column of the sample task list): a full date is due that day; a
    milestone given only as a year ("2024年建成") is due on 31 December of that year; an ongoing
    milestone (持续推进, 长期坚持, e.g. seed task 121) has no due date and is followed through
    periodic reports instead.
    """
    if kind == MilestoneKind.ONGOING:
        return None
    if on is not None:
        return on
    if year is not None:
        return date(year, 12, 31)
    raise ValueError(f"a {kind} milestone needs a year or a date to fall due")


def period_end(cycle: ReportCycle, on: date) -> date:
    """The last day of the reporting period (month or quarter) that contains ``on``."""
    last_month = on.month if cycle == ReportCycle.MONTHLY else ((on.month - 1) // 3 + 1) * 3
    if last_month == 12:
        return date(on.year, 12, 31)
    return date(on.year, last_month + 1, 1) - ONE_DAY


def next_report_due(
    cycle: ReportCycle,
    last_report_on: date | None,
    since: date,
    grace_days: int = 0,
) -> date:
    """The date the next progress report is due.

    Rule (seed task 109, 124; issue 5 "needs periodic reports"): a report dated in a period
    covers that period, so the next one is due at the end of the following period; before the
    first report, one is due at the end of the period in which the task was assigned
    (``since``). A report older than the assignment does not count. ``grace_days`` moves every
    due date later (e.g. 5 for "by the 5th of the next month").
    """
    if last_report_on is None or last_report_on < since:
        due = period_end(cycle, since)
    else:
        due = period_end(cycle, period_end(cycle, last_report_on) + ONE_DAY)
    if grace_days:
        return due + timedelta(days=grace_days)
    return due


class ReminderStage(StrEnum):
    BEFORE = "before"  # 提醒: the due date is near
    ON = "on"  # due today
    AFTER = "after"  # 催办: overdue


@dataclass(frozen=True, slots=True)
class Reminder:
    """One reminder (催办) of one due date; ``offset_days`` < 0 before it, > 0 after it."""

    on: date
    offset_days: int

    @property
    def stage(self) -> ReminderStage:
        if self.offset_days < 0:
            return ReminderStage.BEFORE
        if self.offset_days == 0:
            return ReminderStage.ON
        return ReminderStage.AFTER


def _offsets(name: str, values: Iterable[int]) -> tuple[int, ...]:
    offsets = tuple(values)
    for value in offsets:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must hold whole numbers of days ≥ 0, got {value!r}")
    if len(set(offsets)) != len(offsets):
        raise ValueError(f"{name} repeats an offset: {offsets!r}")
    return tuple(sorted(offsets))


@dataclass(frozen=True, slots=True)
class ReminderPolicy:
    """When to remind (催办) a responsible unit of a due date; configurable per deployment.

    Rule (issue 5; seed task 124 定期开展督促检查): remind ``before_days`` days before the
    due date, ``after_days`` days after it, then every ``repeat_every_days`` days after the
    last of those until the item is done (0 = do not repeat). An offset of 0 in
    ``before_days`` means "on the due date".
    """

    before_days: tuple[int, ...] = (7, 1)
    after_days: tuple[int, ...] = (1, 7)
    repeat_every_days: int = 14

    def __post_init__(self) -> None:
        object.__setattr__(self, "before_days", _offsets("before_days", self.before_days))
        object.__setattr__(self, "after_days", _offsets("after_days", self.after_days))
        if 0 in self.after_days:
            raise ValueError("after_days must be ≥ 1; put 0 in before_days for the due date")
        _offsets("repeat_every_days", (self.repeat_every_days,))


def reminders_between(
    due_on: date, policy: ReminderPolicy, after: date | None, until: date
) -> list[Reminder]:
    """The reminders of ``due_on`` that fall in (``after``, ``until``], oldest first.

    A daily reminder job passes the date of its previous run as ``after`` (None on the first
    run), so every reminder is sent once even when a run is skipped (issue 5, 催办).
    """
    reminders = [Reminder(due_on - timedelta(days=d), -d) for d in reversed(policy.before_days)]
    reminders += [Reminder(due_on + timedelta(days=d), d) for d in policy.after_days]
    if policy.repeat_every_days:
        last = reminders[-1].offset_days if policy.after_days else 0
        offset = last + policy.repeat_every_days
        while due_on + timedelta(days=offset) <= until:
            reminders.append(Reminder(due_on + timedelta(days=offset), offset))
            offset += policy.repeat_every_days
    return [r for r in reminders if (after is None or r.on > after) and r.on <= until]
