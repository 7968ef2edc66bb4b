"""The status lights of the key-task ledger (红黄绿灯): one rule set, no Django.

Issue 5 ("Key-task ledger and supervision": 一本账 · 督查督办 · 考核) asks for a light per
task and per milestone — green on track, yellow due within a configurable window without a
recent report, red overdue — computed from the milestones and the reports by one rule set in a
pure module, each light with a reason the UI can show. Seed task 23 (一本账, 督查"一览无余")
and seed task 109 (互联网+督查) are the ledger these lights feed. The decision table is
documented in docs/ledger-rules.md.

Everything is judged *as of* the ``today`` the caller passes (never the system clock):
reports, completions and completion claims dated after it are ignored, so yesterday's
dashboard can be recomputed exactly (the closure state is the workflow's current one).
A report's ``percent`` is carried for display only: the lights judge delivered milestones
and the regularity of reporting, not self-assessed percentages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from shuzheng.documents.parsing.model import MilestoneKind
from shuzheng.tasks.deadlines import ReportCycle, milestone_due_on, next_report_due
from shuzheng.text.translation import gettext_noop


class Light(StrEnum):
    """Glossary: 红黄绿灯 → status_light; grey marks what needs no more attention."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    GREY = "grey"


SEVERITY = {Light.GREY: 0, Light.GREEN: 1, Light.YELLOW: 2, Light.RED: 3}


class Closure(StrEnum):
    """办结: the supervision workflow's current state of a task."""

    OPEN = "open"
    CLAIMED = "claimed"  # the unit reported completion; the supervisor has not yet confirmed
    CONFIRMED = "confirmed"  # 办结 confirmed: the task leaves the ledger's attention


class Reason(StrEnum):
    """Why a light is what it is; stable codes the UI and the API can rely on."""

    ACHIEVED = "achieved"
    ACHIEVED_LATE = "achieved-late"
    TASK_CLOSED = "task-closed"
    CLOSURE_CLAIMED = "closure-claimed"
    CLAIMED_LATE = "claimed-late"
    OVERDUE = "overdue"
    DUE_SOON_REPORTED = "due-soon-reported"
    DUE_SOON_UNREPORTED = "due-soon-unreported"
    REPORT_MISSING = "report-missing"
    ON_TRACK = "on-track"
    REPORT_OVERDUE = "report-overdue"
    REPORT_DUE_SOON = "report-due-soon"
    REPORTING_ON_SCHEDULE = "reporting-on-schedule"
    NO_MILESTONES = "no-milestones"
    ALL_ACHIEVED = "all-achieved"
    SUBTASKS_CLOSED = "all-subtasks-closed"  # a decomposed task's roll-up (tasks.selectors)


REASON_TEXT = {
    Reason.ACHIEVED: gettext_noop("Achieved on {on}, on time."),
    Reason.ACHIEVED_LATE: gettext_noop("Achieved on {on}, {days} days after its due date."),
    Reason.TASK_CLOSED: gettext_noop("The task's completion has been confirmed (办结)."),
    Reason.CLOSURE_CLAIMED: gettext_noop(
        "Completion reported on {on}; awaiting the supervisor's confirmation."
    ),
    Reason.CLAIMED_LATE: gettext_noop(
        "Completion reported on {on}, {days} days after the due date; awaiting confirmation."
    ),
    Reason.OVERDUE: gettext_noop("Was due on {on}; overdue by {days} days."),
    Reason.DUE_SOON_REPORTED: gettext_noop(
        "Due on {on} ({days} days left); progress was reported recently."
    ),
    Reason.DUE_SOON_UNREPORTED: gettext_noop(
        "Due on {on} ({days} days left), and no recent progress report."
    ),
    Reason.REPORT_MISSING: gettext_noop(
        "A progress report was due on {on} and is {days} days late."
    ),
    Reason.ON_TRACK: gettext_noop("Due on {on} ({days} days left); reports are up to date."),
    Reason.REPORT_OVERDUE: gettext_noop(
        "Ongoing work: a progress report was due on {on} and is {days} days late."
    ),
    Reason.REPORT_DUE_SOON: gettext_noop(
        "Ongoing work: next progress report due on {on} ({days} days left), and none recently."
    ),
    Reason.REPORTING_ON_SCHEDULE: gettext_noop(
        "Ongoing work: reports are up to date; next one due on {on}."
    ),
    Reason.NO_MILESTONES: gettext_noop("The deadline could not be read into milestones; set one."),
    Reason.ALL_ACHIEVED: gettext_noop("All milestones achieved; the task awaits closure (办结)."),
    Reason.SUBTASKS_CLOSED: gettext_noop(
        "All sub-tasks are closed; the task awaits closure (办结)."
    ),
}
#: A reason about one part of a task (a milestone's phrase, a sub-task's unit and year):
#: a pattern, so each language puts its own punctuation between them (Chinese: "：").
SUBJECT_TEXT = gettext_noop("%(subject)s: %(reason)s")

#: Reasons whose day count runs with the calendar: the days since ``on`` (overdue, a report
#: late) or until it (due soon, on track), as :func:`_open_milestone` counts them. The others
#: count fixed days (achieved or claimed late) or none.
COUNTS_DAYS_SINCE = frozenset({Reason.OVERDUE, Reason.REPORT_MISSING, Reason.REPORT_OVERDUE})
COUNTS_DAYS_UNTIL = frozenset(
    {
        Reason.DUE_SOON_REPORTED,
        Reason.DUE_SOON_UNREPORTED,
        Reason.ON_TRACK,
        Reason.REPORT_DUE_SOON,
        Reason.REPORTING_ON_SCHEDULE,
    }
)


def about(subject: str, reason: str, translate: Callable[[str], str] = str) -> str:
    """``reason`` said of ``subject`` (e.g. "2023年启动: Was due on …") in the translation's words."""
    return translate(SUBJECT_TEXT) % {"subject": subject, "reason": reason}


@dataclass(frozen=True, slots=True)
class MilestoneFacts:
    """One milestone of a task and whether it was achieved (and when)."""

    kind: MilestoneKind
    due_on: date | None  # None exactly for ongoing milestones (deadlines.milestone_due_on)
    achieved_on: date | None = None
    text: str = ""  # the phrase it came from, e.g. "2024年建成"

    def __post_init__(self) -> None:
        if (self.kind == MilestoneKind.ONGOING) != (self.due_on is None):
            raise ValueError(
                f"milestone {self.text or self.kind!r}: only ongoing milestones have no due date"
            )

    @classmethod
    def from_deadline(
        cls,
        kind: MilestoneKind,
        year: int | None = None,
        on: date | None = None,
        achieved_on: date | None = None,
        text: str = "",
    ) -> MilestoneFacts:
        """Build from the parser's / database's (kind, year, date) via deadlines."""
        return cls(kind, milestone_due_on(kind, year, on), achieved_on, text)


@dataclass(frozen=True, slots=True)
class Report:
    """A progress report (反馈); ``claimed_complete`` marks a request to close (申请办结)."""

    on: date
    percent: int | None = None
    claimed_complete: bool = False


@dataclass(frozen=True, slots=True)
class TaskFacts:
    milestones: tuple[MilestoneFacts, ...]
    reports: tuple[Report, ...]
    assigned_on: date  # 交办: reporting duties start here
    report_cycle: ReportCycle
    closure: Closure = Closure.OPEN


@dataclass(frozen=True, slots=True)
class LightPolicy:
    """The configurable windows of the light rules (issue 5), in days."""

    yellow_window_days: int = 30  # "due within a configurable window"
    recent_report_days: int = 30  # "without a recent report"
    report_grace_days: int = 0  # reports are due this many days after the period ends

    def __post_init__(self) -> None:
        for name in ("yellow_window_days", "recent_report_days", "report_grace_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a whole number of days ≥ 0, got {value!r}")


@dataclass(frozen=True, slots=True)
class Verdict:
    """A light with its reason code; ``on``/``days`` fill the human text."""

    light: Light
    reason: Reason
    on: date | None = None
    days: int | None = None

    def describe(self, translate: Callable[[str], str] = str) -> str:
        """The reason in words; ``translate`` (e.g. Django's gettext) picks the language."""
        return translate(REASON_TEXT[self.reason]).format(on=self.on, days=self.days)

    def recounted(self, today: date) -> Verdict:
        """The same verdict read on ``today``: a stored light holds until its change day
        (``tasks.light_changes``), but its day count runs with the calendar."""
        if self.on is None:
            return self
        if self.reason in COUNTS_DAYS_SINCE:
            return replace(self, days=(today - self.on).days)
        if self.reason in COUNTS_DAYS_UNTIL:
            return replace(self, days=(self.on - today).days)
        return self

    @property
    def text(self) -> str:
        return self.describe()


@dataclass(frozen=True, slots=True)
class TaskStatus:
    """The task's light: the worst verdict among its open milestones (issue 5)."""

    verdict: Verdict
    milestones: tuple[Verdict, ...]  # one per input milestone, same order
    deciding: MilestoneFacts | None = None  # the milestone whose verdict is the task's

    @property
    def light(self) -> Light:
        return self.verdict.light

    @property
    def reason(self) -> Reason:
        return self.verdict.reason

    def describe(self, translate: Callable[[str], str] = str) -> str:
        text = self.verdict.describe(translate)
        if self.deciding is not None and self.deciding.text:
            return about(self.deciding.text, text, translate)
        return text

    @property
    def text(self) -> str:
        return self.describe()


TASK_CLOSED = Verdict(Light.GREY, Reason.TASK_CLOSED)
NO_MILESTONES = Verdict(Light.YELLOW, Reason.NO_MILESTONES)
ALL_ACHIEVED = Verdict(Light.GREEN, Reason.ALL_ACHIEVED)


def task_status(task: TaskFacts, today: date, policy: LightPolicy) -> TaskStatus:
    """Lights for a task and each of its milestones, as of ``today`` (issue 5).

    A confirmed closure (办结) turns everything grey; a task without milestones is yellow
    (its 完成时限 could not be read); otherwise the task takes the worst light among its open
    milestones — red before yellow before green, the earliest due first, ongoing last — and
    green once every milestone is achieved.
    """
    if task.closure == Closure.CONFIRMED:
        verdicts = tuple(_achievement(m, today) or TASK_CLOSED for m in task.milestones)
        return TaskStatus(TASK_CLOSED, verdicts)
    if not task.milestones:
        return TaskStatus(NO_MILESTONES, ())

    last_report_on, claimed_on = _report_dates(task, today)
    report_due = next_report_due(
        task.report_cycle, last_report_on, task.assigned_on, policy.report_grace_days
    )
    recent = last_report_on is not None and last_report_on >= today - timedelta(
        days=policy.recent_report_days
    )
    verdicts = []
    worst: Verdict | None = None
    deciding: MilestoneFacts | None = None
    for milestone in task.milestones:
        verdict = _achievement(milestone, today)
        if verdict is None:
            verdict = _open_milestone(milestone, today, policy, report_due, recent, claimed_on)
            if worst is None or _more_urgent(verdict, milestone, worst, deciding):
                worst, deciding = verdict, milestone
        verdicts.append(verdict)
    if worst is None:
        return TaskStatus(ALL_ACHIEVED, tuple(verdicts))
    return TaskStatus(worst, tuple(verdicts), deciding)


def _report_dates(task: TaskFacts, today: date) -> tuple[date | None, date | None]:
    """The last report on or before today, and the date of the standing completion claim.

    A claim stands only while the workflow says CLAIMED (a rejected claim sends the task back
    to OPEN); its date is that of the latest report asking to close (申请办结) on or before
    today. A claim filed after ``today`` does not exist yet, so the task is judged as open.
    """
    last = None
    claimed = None
    claim_filed = False
    for report in task.reports:
        on = report.on
        if report.claimed_complete:
            claim_filed = True
        if on > today:
            continue
        if last is None or on > last:
            last = on
        if report.claimed_complete and (claimed is None or on > claimed):
            claimed = on
    if task.closure != Closure.CLAIMED:
        return last, None
    if not claim_filed:
        raise ValueError("the task's closure is claimed but no report claims completion")
    return last, claimed


def _achievement(milestone: MilestoneFacts, today: date) -> Verdict | None:
    achieved_on = milestone.achieved_on
    if achieved_on is None or achieved_on > today:
        return None
    due_on = milestone.due_on
    if due_on is None or achieved_on <= due_on:
        return Verdict(Light.GREY, Reason.ACHIEVED, achieved_on)
    return Verdict(Light.GREY, Reason.ACHIEVED_LATE, achieved_on, (achieved_on - due_on).days)


def _open_milestone(
    milestone: MilestoneFacts,
    today: date,
    policy: LightPolicy,
    report_due: date,
    recent: bool,
    claimed_on: date | None,
) -> Verdict:
    due_on = milestone.due_on
    if claimed_on is not None:
        if due_on is not None and claimed_on > due_on:
            return Verdict(Light.RED, Reason.CLAIMED_LATE, claimed_on, (claimed_on - due_on).days)
        return Verdict(Light.GREEN, Reason.CLOSURE_CLAIMED, claimed_on)
    report_days = (report_due - today).days
    if due_on is None:
        if report_days < 0:
            return Verdict(Light.RED, Reason.REPORT_OVERDUE, report_due, -report_days)
        if report_days <= policy.yellow_window_days and not recent:
            return Verdict(Light.YELLOW, Reason.REPORT_DUE_SOON, report_due, report_days)
        return Verdict(Light.GREEN, Reason.REPORTING_ON_SCHEDULE, report_due, report_days)
    days = (due_on - today).days
    if days < 0:
        return Verdict(Light.RED, Reason.OVERDUE, due_on, -days)
    if days <= policy.yellow_window_days:
        if recent:
            return Verdict(Light.GREEN, Reason.DUE_SOON_REPORTED, due_on, days)
        return Verdict(Light.YELLOW, Reason.DUE_SOON_UNREPORTED, due_on, days)
    if report_days < 0:
        return Verdict(Light.YELLOW, Reason.REPORT_MISSING, report_due, -report_days)
    return Verdict(Light.GREEN, Reason.ON_TRACK, due_on, days)


def _more_urgent(
    verdict: Verdict, milestone: MilestoneFacts, worst: Verdict, deciding: MilestoneFacts
) -> bool:
    """Red beats yellow beats green; on equal lights the earlier due date, ongoing last."""
    severity, worst_severity = SEVERITY[verdict.light], SEVERITY[worst.light]
    if severity != worst_severity:
        return severity > worst_severity
    if milestone.due_on is None:
        return False
    return deciding.due_on is None or milestone.due_on < deciding.due_on
