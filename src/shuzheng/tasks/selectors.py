"""Reading the key-task ledger (一本账): who sees which task, rows with lights, unit facts.

Issue 5 (一本账 · 督查督办 · 考核): one ledger of key tasks with a status light (红黄绿灯) per
task and milestone, from the pure rule module ``tasks.status``; the dashboard (驾驶舱) and the
assessment (考核) read the same functions, so a light or a count means the same everywhere.

Budget: :func:`ledger_rows` runs a fixed handful of queries whatever the number of tasks
(tasks, milestones, assignments, report aggregates), and :func:`unit_facts` likewise; nothing
here queries per task. Everything is judged as of the ``today`` passed in (``clock.today()``
in the callers), so yesterday's ledger can be recomputed exactly.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.utils.translation import gettext

from shuzheng.accounts.authorization import has_perm, reads_field_group, role_of
from shuzheng.accounts.permissions import UNIT_BOUND_ROLES
from shuzheng.audit.models import AuditEvent
from shuzheng.documents.models import Document
from shuzheng.orgs.models import Unit
from shuzheng.tasks import indicators
from shuzheng.tasks.choices import AssignmentState, Closure, MilestoneKind
from shuzheng.tasks.deadlines import ReportCycle, milestone_due_on, period_end
from shuzheng.tasks.filtersets import LIGHT_ORDER, LedgerFilterSet
from shuzheng.tasks.models import (
    Assignment,
    ExtensionRequest,
    KeyTask,
    Milestone,
    ProgressReport,
    TaskComment,
    TaskResponsibility,
)
from shuzheng.tasks.policy import light_policy
from shuzheng.tasks.scoring import UnitFacts
from shuzheng.tasks.status import (
    REASON_TEXT,
    SEVERITY,
    Light,
    LightPolicy,
    MilestoneFacts,
    Reason,
    Report,
    TaskFacts,
    TaskStatus,
    Verdict,
    about,
    task_status,
)
from shuzheng.tasks.status import Closure as StatusClosure

ONE_DAY = dt.timedelta(days=1)
#: Up to this many tasks, build_rows reads milestones, assignments and reports by a list of
#: ids (index lookups: a ledger page, a refresh batch); beyond it, by subquery (the dashboard).
FAMILY_IDS_INLINE = 5000


# --- visibility -----------------------------------------------------------------------------


def sees_all_tasks(user) -> bool:
    """Supervisors and administrators read every unit's work (issue 2 permission table)."""
    return has_perm(user, "view_unit_work") and role_of(user) not in UNIT_BOUND_ROLES


def task_unit_ids(task: KeyTask) -> set[int]:
    """The units whose work the task is: named responsible, assigned, the sub-task's unit."""
    named = TaskResponsibility.objects.filter(task=task, unit__isnull=False)
    units = set(named.values_list("unit_id", flat=True))
    units |= set(Assignment.objects.filter(task=task).values_list("unit_id", flat=True))
    return units | ({task.unit_id} if task.unit_id else set())


def reads_work_on_task(user, task: KeyTask, group: str) -> bool:
    """Whether ``user`` reads field group ``group`` for any unit of ``task``: whether the task
    page has a section of it for them (issue 9, point 3: ``permissions.FIELD_GROUPS``)."""
    if sees_all_tasks(user):
        return True
    return any(reads_field_group(user, group, unit_id) for unit_id in task_unit_ids(task))


def can_discuss(user, task: KeyTask) -> bool:
    """Who comments on a task and follows it (issue 14, point 6): supervisors, and staff of
    a unit of the task (field group ``task.comments``: the task's internal work)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return reads_work_on_task(user, task, "task.comments")


def unit_task_ids(unit_id) -> Q:
    """Tasks of a unit: it is named responsible, it was assigned the task, or it is the
    sub-task's unit (issue 5: "unit staff see and report their own unit's tasks")."""
    return (
        Q(pk__in=TaskResponsibility.objects.filter(unit_id=unit_id).values("task_id"))
        | Q(pk__in=Assignment.objects.filter(unit_id=unit_id).values("task_id"))
        | Q(unit_id=unit_id)
    )


def visible_tasks(user) -> QuerySet[KeyTask]:
    """The tasks ``user`` may read: all for supervisors, their unit's (and public ones) for
    unit staff and heads, and only tasks marked public for everyone else."""
    tasks = KeyTask.objects.all()
    if sees_all_tasks(user):
        return tasks
    unit_id = getattr(user, "unit_id", None)
    if unit_id is not None and has_perm(user, "view_unit_work", unit_id):
        return tasks.filter(unit_task_ids(unit_id) | Q(is_public=True))
    if has_perm(user, "view_published"):
        return tasks.filter(is_public=True)
    return tasks.none()


def can_read(user, task: KeyTask) -> bool:
    return visible_tasks(user).filter(pk=task.pk).exists()


# --- ledger rows ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerFilters:
    """The ledger's filters as Python callers (the dashboard, the reminders) write them:
    the data of :class:`~shuzheng.tasks.filtersets.LedgerFilterSet`, which declares,
    validates and applies them (issue 5, item 4; issue 8, item 2)."""

    light: str = ""
    category: str = ""
    unit: str = ""
    year: int | None = None
    document: int | None = None
    q: str = ""
    include_subtasks: bool = False
    sort: str = "number"

    def as_data(self, *, without: tuple[str, ...] = ()) -> dict:
        """The FilterSet's data: the filters that are set, except ``without``."""
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        return {
            name: value
            for name, value in values.items()
            if value not in ("", None, False) and name not in without
        }


@dataclass
class RowStatus:
    """A row's light with its reason code, the reason's date and days, and its text in the
    reader's language; a parent's may come from a sub-task."""

    light: Light
    reason: str
    text: str
    on: dt.date | None = None
    days: int | None = None

    @classmethod
    def of(cls, status: TaskStatus) -> RowStatus:
        verdict = status.verdict
        return cls(
            status.light, str(status.reason), status.describe(gettext), verdict.on, verdict.days
        )


@dataclass
class MilestoneRow:
    milestone: Milestone
    verdict: Verdict

    @property
    def light(self) -> Light:
        return self.verdict.light

    @property
    def reason(self) -> str:
        return str(self.verdict.reason)

    @property
    def text(self) -> str:
        return self.verdict.describe(gettext)


@dataclass
class LedgerRow:
    """One task of the ledger: its units, milestones with lights, latest report, light.

    ``assignments`` carry their ``unit``; ``subtasks`` are the rows of a decomposed task's
    sub-tasks, whose lights roll up into this row's ``status``.
    """

    task: KeyTask
    own_status: TaskStatus
    status: RowStatus
    milestones: list[MilestoneRow]
    assignments: list[Assignment]
    last_report_on: dt.date | None
    last_percent: int | None
    subtasks: list[LedgerRow] = field(default_factory=list)
    facts: TaskFacts | None = None  # what tasks.status judged (tasks.light_changes reads it)

    @property
    def light(self) -> Light:
        return self.status.light

    @property
    def reason(self) -> str:
        return self.status.reason

    @property
    def reason_text(self) -> str:
        return self.status.text

    @property
    def units(self) -> list:
        """The units the task was assigned to (交办), in assignment order."""
        return [assignment.unit for assignment in self.assignments]

    @property
    def next_due_on(self) -> dt.date | None:
        """The earliest due date among open milestones (for sorting by deadline)."""
        open_dates = [
            row.milestone.due_on
            for row in self.milestones
            if row.milestone.due_on and row.milestone.achieved_on is None
        ]
        return min(open_dates, default=None)


def ledger_rows(
    filters: LedgerFilters,
    today: dt.date,
    *,
    user=None,
    tasks: QuerySet[KeyTask] | None = None,
    policy: LightPolicy | None = None,
) -> list[LedgerRow]:
    """The ledger's rows for ``filters`` as of ``today``, lights computed and sorted.

    ``user`` limits the rows to what that person may read (None: every task, for the
    dashboard and jobs); ``tasks`` narrows further (e.g. "my unit's tasks"). Five queries
    whatever the size: tasks, their sub-tasks, milestones, assignments, report aggregates.
    """
    data = filters.as_data(without=("light", "sort"))  # judged on the computed lights below
    base = LedgerFilterSet(data, queryset=tasks if tasks is not None else KeyTask.objects.all()).qs
    if user is not None:
        base = base.filter(pk__in=visible_tasks(user).values("pk"))
    rows = build_rows(base, today, policy or light_policy())
    if filters.light:
        rows = [row for row in rows if row.light == filters.light]
    return sort_rows(rows, filters.sort)


# --- the ledger listing on stored lights (docs/ledger.md, "Stored lights") ------------------


def listed_tasks(user=None) -> QuerySet[KeyTask]:
    """The tasks of the ledger listing before its filters: those ``user`` may read (None:
    every task); supervisors read every task without the visibility subquery."""
    tasks = KeyTask.objects.all()
    if user is not None and not sees_all_tasks(user):
        tasks = tasks.filter(pk__in=visible_tasks(user).values("pk"))
    return tasks


def listing(
    tasks: QuerySet[KeyTask],
    today: dt.date,
    *,
    policy: LightPolicy | None = None,
    transform=None,
) -> LedgerListing:
    """The ledger page and ``tasks_list`` (issue 5): ``tasks`` filtered, sorted and counted
    in SQL by :class:`~shuzheng.tasks.filtersets.LedgerFilterSet` on the stored lights, so
    100,000 tasks cost what a page of them costs; the rows of the slice a paginator asks for
    are then built with their facts and lights as of ``today``. Lights are current when
    ``refresh_lights`` has run for ``today`` (the services, ``shuzheng refreshlights``)."""
    return LedgerListing(tasks, today, policy or light_policy(), transform)


def ledger_listing(
    filters: LedgerFilters,
    today: dt.date,
    *,
    user=None,
    policy: LightPolicy | None = None,
    transform=None,
) -> LedgerListing:
    """:func:`listing` for ``filters`` as Python callers write them (the SQL order is
    :func:`sort_rows`' with ties in source order; see LedgerFilterSet)."""
    tasks = LedgerFilterSet(filters.as_data(), queryset=listed_tasks(user)).qs
    return listing(tasks, today, policy=policy, transform=transform)


class LedgerListing:
    """A lazy, sliceable sequence of ledger rows for Django's Paginator and ninja's
    pagination: ``count()`` is one SQL count, a slice is one query for its task ids plus
    :func:`build_rows` (five queries) for those tasks only; ``transform`` maps each row
    (e.g. to the API's dict)."""

    CHUNK = 500

    def __init__(self, tasks: QuerySet[KeyTask], today: dt.date, policy: LightPolicy, transform):
        self.tasks = tasks
        self.today = today
        self.policy = policy
        self.transform = transform
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self.tasks.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            if index.step not in (None, 1):
                raise ValueError("ledger listings slice without a step")
            return self._rows(list(self.tasks.values_list("pk", flat=True)[index]))
        if index < 0:
            index += self.count()
        rows = self[index : index + 1]
        if not rows:
            raise IndexError(index)
        return rows[0]

    def __iter__(self):
        start = 0
        while rows := self[start : start + self.CHUNK]:
            yield from rows
            start += self.CHUNK

    def _rows(self, ids: list[int]) -> list:
        if not ids:
            return []
        built = build_rows(KeyTask.objects.filter(pk__in=ids), self.today, self.policy)
        by_id = {row.task.pk: row for row in built}
        rows = [by_id[pk] for pk in ids if pk in by_id]
        return [self.transform(row) for row in rows] if self.transform else rows


def stale_light_tasks(today: dt.date) -> QuerySet[KeyTask]:
    """Tasks whose stored light is not known to hold on ``today``: never computed, computed
    for a later day (the clock was set back), or due to change on or before ``today``."""
    return KeyTask.objects.filter(
        Q(light_computed_on__isnull=True)
        | Q(light_computed_on__gt=today)
        | Q(light_changes_on__lte=today)
    )


@dataclass(frozen=True)
class LightsAge:
    """How far the stored lights lag behind ``today``, for the ledger's note: ``stale``
    tasks wait for ``shuzheng refreshlights``; every stored light held through
    ``held_through`` (None: some were never computed, or were computed for a later day)."""

    stale: int
    held_through: dt.date | None


def lights_age(today: dt.date) -> LightsAge | None:
    """None when every stored light holds on ``today`` (one query); else the lag."""
    stale = stale_light_tasks(today).aggregate(
        count=Count("pk"),
        unknown=Count(
            "pk", filter=Q(light_computed_on__isnull=True) | Q(light_computed_on__gt=today)
        ),
        first_change=Min("light_changes_on"),
    )
    if not stale["count"]:
        return None
    held_through = None
    if not stale["unknown"] and stale["first_change"] is not None:
        held_through = stale["first_change"] - ONE_DAY
    return LightsAge(stale["count"], held_through)


def build_rows(tasks: QuerySet[KeyTask], today: dt.date, policy: LightPolicy) -> list[LedgerRow]:
    """Rows for ``tasks`` (in their order), each with its sub-tasks rolled up."""
    today_reports = ProgressReport.objects.filter(task=OuterRef("pk"), reported_on__lte=today)
    latest_percent = Subquery(today_reports.order_by("-reported_on", "-id").values("percent")[:1])
    listed = list(
        tasks.select_related("document", "unit", "parent__document").annotate(
            last_percent=latest_percent
        )
    )
    children = list(
        KeyTask.objects.filter(parent__in=tasks.values("pk"))
        .exclude(pk__in=tasks.values("pk"))
        .select_related("unit")
        .annotate(last_percent=latest_percent)
        .order_by("parent_id", "unit__code", "year", "id")
    )
    family = listed + children
    if len(family) <= FAMILY_IDS_INLINE:
        family_filter = Q(task_id__in=[task.pk for task in family])
    else:
        ids = tasks.values("pk")
        family_filter = Q(task__in=ids) | Q(task__parent__in=ids)
    milestones = defaultdict(list)
    for milestone in Milestone.objects.filter(family_filter).order_by("task_id", "due_on", "id"):
        milestones[milestone.task_id].append(milestone)
    assignments = defaultdict(list)
    for assignment in Assignment.objects.filter(family_filter).select_related("unit"):
        assignments[assignment.task_id].append(assignment)
    reports = _report_dates(ProgressReport.objects.filter(family_filter), today)

    rows = {task.pk: _row(task, milestones, assignments, reports, today, policy) for task in family}
    for child in children + [task for task in listed if task.parent_id]:
        parent = rows.get(child.parent_id)
        if parent is not None:
            parent.subtasks.append(rows[child.pk])
    for row in rows.values():
        if row.subtasks:
            row.status = rolled_up(row.own_status, row.subtasks)
    return [rows[task.pk] for task in listed]


def sort_rows(rows: list[LedgerRow], sort: str) -> list[LedgerRow]:
    """Sort by task number (source order), deadline, light (red first) or category."""
    if sort == "deadline":
        return sorted(rows, key=lambda r: (r.next_due_on is None, r.next_due_on or dt.date.min))
    if sort == "light":
        return sorted(rows, key=lambda r: (LIGHT_ORDER[r.light], r.next_due_on or dt.date.max))
    if sort == "category":
        return sorted(rows, key=lambda r: r.task.category)
    return rows


def rolled_up(own: TaskStatus, subtasks: Iterable[LedgerRow]) -> RowStatus:
    """A decomposed task's light (issue 5, item 1: sub-tasks roll up into the parent's light).

    A confirmed parent stays grey; otherwise the worst sub-task light decides (red before
    yellow before green, the earliest due first), its reason prefixed with the sub-task; when
    every sub-task is closed the parent awaits its own closure (green ``all-achieved``).
    """
    if own.light == Light.GREY:
        return RowStatus.of(own)
    open_rows = [row for row in subtasks if row.light != Light.GREY]
    if not open_rows:
        return RowStatus(
            Light.GREEN, str(Reason.SUBTASKS_CLOSED), gettext(REASON_TEXT[Reason.SUBTASKS_CLOSED])
        )
    worst = max(
        open_rows,
        key=lambda row: (
            SEVERITY[row.light],
            -(row.next_due_on or dt.date.max).toordinal(),
        ),
    )
    sub = worst.status
    text = about(subtask_label(worst.task), sub.text, gettext)
    return RowStatus(sub.light, sub.reason, text, sub.on, sub.days)


def subtask_label(task: KeyTask) -> str:
    parts = [str(task.unit) if task.unit_id else "", str(task.year) if task.year else ""]
    return " ".join(part for part in parts if part) or f"#{task.pk}"


def task_facts(
    task: KeyTask,
    milestones: list[Milestone],
    assignments: list[Assignment],
    reports: tuple[Report, ...],
    today: dt.date,
) -> TaskFacts:
    """The pure module's input for one task. Reporting duties start at the first 交办, or at
    the task's registration until it is assigned (docs/ledger-rules.md)."""
    assigned = [a.assigned_on for a in assignments]
    start = min(assigned) if assigned else (task.registered_on or today)
    return TaskFacts(
        milestones=tuple(
            MilestoneFacts.from_deadline(m.kind, m.year, m.due_on, m.achieved_on, m.text)
            for m in milestones
        ),
        reports=reports,
        assigned_on=start,
        report_cycle=ReportCycle(task.report_cycle),
        closure=StatusClosure(task.closure),
    )


def _row(task, milestones, assignments, reports, today, policy) -> LedgerRow:
    own_milestones = milestones.get(task.pk, [])
    own_assignments = assignments.get(task.pk, [])
    facts = task_facts(task, own_milestones, own_assignments, reports.get(task.pk, ()), today)
    status = task_status(facts, today, policy)
    last_reports = [r.on for r in facts.reports if r.on <= today]
    return LedgerRow(
        task=task,
        own_status=status,
        status=RowStatus.of(status),
        milestones=[
            MilestoneRow(m, v) for m, v in zip(own_milestones, status.milestones, strict=True)
        ],
        assignments=own_assignments,
        last_report_on=max(last_reports, default=None),
        last_percent=getattr(task, "last_percent", None),
        facts=facts,
    )


def _report_dates(reports: QuerySet[ProgressReport], today: dt.date) -> dict[int, tuple]:
    """Per task, the few reports the light rules need (docs/ledger-rules.md): the last one on
    or before today, the latest completion claim on or before today, and a later claim when
    one exists (it tells the rules the claim was filed, though not yet as of today). The
    first report after today changes nothing today; it tells ``tasks.light_changes`` that
    the light must be judged again on its day."""
    aggregates = reports.values("task_id").annotate(
        last_on=Max("reported_on", filter=Q(reported_on__lte=today)),
        claim_on=Max("reported_on", filter=Q(claims_completion=True, reported_on__lte=today)),
        future_claim_on=Max("reported_on", filter=Q(claims_completion=True, reported_on__gt=today)),
        next_on=Min("reported_on", filter=Q(reported_on__gt=today)),
    )
    found = {}
    for row in aggregates.order_by():
        items = []
        if row["last_on"]:
            items.append(Report(row["last_on"]))
        if row["claim_on"]:
            items.append(Report(row["claim_on"], claimed_complete=True))
        if row["future_claim_on"]:
            items.append(Report(row["future_claim_on"], claimed_complete=True))
        if row["next_on"]:
            items.append(Report(row["next_on"]))
        found[row["task_id"]] = tuple(items)
    return found


# --- one task -------------------------------------------------------------------------------


def task_row(task: KeyTask, today: dt.date, policy: LightPolicy | None = None) -> LedgerRow:
    """The ledger row of one task with its sub-tasks (the task page)."""
    rows = build_rows(KeyTask.objects.filter(pk=task.pk), today, policy or light_policy())
    return rows[0]


def task_reports(task: KeyTask, user) -> list[ProgressReport]:
    """The progress reports of ``task`` that ``user`` reads, newest first, with authors, units
    and evidence files: each is its reporting unit's work (field group ``task.reports``)."""
    reports = (
        ProgressReport.objects.filter(task=task)
        .select_related("unit", "author")
        .prefetch_related("evidence")
        .order_by("-reported_on", "-id")
    )
    return [item for item in reports if reads_field_group(user, "task.reports", item.unit_id)]


def readable_evidence(user, report: ProgressReport) -> list:
    """A report's evidence files, for readers of its unit's ``task.evidence``."""
    if not reads_field_group(user, "task.evidence", report.unit_id):
        return []
    return list(report.evidence.all())


def readable_note(user, assignment: Assignment) -> str | None:
    """The supervisor's note to the assigned unit, or None for readers outside it
    (field group ``task.assignment_notes``)."""
    if reads_field_group(user, "task.assignment_notes", assignment.unit_id):
        return assignment.note
    return None


def assignment_for(task: KeyTask, unit_id) -> Assignment | None:
    return Assignment.objects.filter(task=task, unit_id=unit_id).select_related("unit").first()


def tasks_needing_action(unit_id, today: dt.date) -> list[LedgerRow]:
    """ "My unit's tasks needing action" (issue 5, item 4): every open task assigned to the
    unit — to accept, to report on, or awaiting the supervisor — the most urgent first."""
    assigned = KeyTask.objects.filter(
        pk__in=Assignment.objects.filter(unit_id=unit_id).values("task_id")
    ).exclude(closure=Closure.CONFIRMED)
    rows = ledger_rows(LedgerFilters(include_subtasks=True, sort="light"), today, tasks=assigned)
    return rows


def next_action(row: LedgerRow, unit_id) -> str:
    """What the unit has to do next on a task: accept, report, or wait for confirmation."""
    if row.task.closure == Closure.CLAIMED:
        return "awaiting-confirmation"
    mine = [a for a in row.assignments if a.unit_id == unit_id]
    if mine and mine[0].state == AssignmentState.ASSIGNED:
        return "accept"
    return "report"


# --- assessment facts -----------------------------------------------------------------------


def unit_facts(
    year: int,
    today: dt.date,
    policy: LightPolicy | None = None,
    external: Iterable[str] = (),
) -> dict[int, UnitFacts]:
    """Per assigned unit (by id), what ``tasks.scoring`` needs for ``year`` as of ``today``.

    Rules (docs/ledger.md, "Assessment facts"; seed tasks 121–123): a unit answers for the
    tasks assigned to it (交办) by the year's end, and for every task assigned to it with a
    milestone in the year, whenever it was assigned: a task belongs to the years of its
    deadlines (issue 14: tasks assigned in 2026 with 2023 deadlines count for 2023). A
    milestone counts as due when it falls in the year and its day has passed (or it was met
    early); it is met on time when achieved by its due date; it is overdue when its day has
    passed and it is still not achieved. A milestone of an earlier year still not achieved on
    the assessment day (the year's last day, or today during the year) is carried over: due in
    the year, not met on time and overdue (issue 14: two red, overdue tasks must not score as
    "0 overdue items"). A report is due for
    every reporting period (the task's cycle, from the period of the assignment) whose due
    date (period end + grace days) lies in the year and has passed, unless the task was
    closed by then; it is on time when the unit reported within the period or its grace
    days. Ratings are the supervisor's ratings of tasks closed in the year. Four queries.

    ``external`` names the other apps' indicators the rules use (``tasks.indicators``): each
    assessed unit gets its shares as of the assessment day; a unit the ledger does not
    assess is not scored on them alone.
    """
    policy = policy or light_policy()
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    as_of = min(end, today)
    grace = dt.timedelta(days=policy.report_grace_days)
    # A year-only milestone ("2024年建成") has no due_on: it falls due on 31 December of that
    # year (deadlines.milestone_due_on), so it counts in that year too.
    in_year = Q(due_on__range=(start, end)) | Q(due_on__isnull=True, year=year)
    earlier = Q(due_on__lt=start) | Q(due_on__isnull=True, year__lt=year)
    still_open = Q(achieved_on__isnull=True) | Q(achieved_on__gt=as_of)
    dated = ~Q(kind=MilestoneKind.ONGOING)
    due_in_year = Milestone.objects.filter(in_year, dated, task_id=OuterRef("task_id"))
    assignments = list(
        Assignment.objects.filter(Q(assigned_on__lte=as_of) | Q(Exists(due_in_year)))
        .exclude(task__closure=Closure.CONFIRMED, task__closed_on__lt=start)
        .values_list(
            "task_id",
            "unit_id",
            "assigned_on",
            "rating",
            "task__report_cycle",
            "task__closure",
            "task__closed_on",
        )
    )
    task_ids = {row[0] for row in assignments}
    milestones = defaultdict(list)
    for task_id, kind, milestone_year, due_on, achieved_on in Milestone.objects.filter(
        in_year | (earlier & still_open), dated, task_id__in=task_ids
    ).values_list("task_id", "kind", "year", "due_on", "achieved_on"):
        due = milestone_due_on(kind, milestone_year, due_on)
        if due < start:
            # Carried over from an earlier year, still open on the assessment day.
            milestones[task_id].append((due, None))
        else:
            milestones[task_id].append((due, achieved_on))
    report_days = defaultdict(list)
    for task_id, unit_id, reported_on in (
        ProgressReport.objects.filter(
            task_id__in=task_ids,
            reported_on__range=(start - dt.timedelta(days=92), min(end + grace, today)),
        )
        .values_list("task_id", "unit_id", "reported_on")
        .distinct()
    ):
        report_days[(task_id, unit_id)].append(reported_on)
    for days in report_days.values():
        days.sort()
    units = _unit_names({row[1] for row in assignments})

    counts: dict[int, dict] = {}
    for task_id, unit_id, assigned_on, rating, cycle, closure, closed_on in assignments:
        tally = counts.setdefault(unit_id, defaultdict(int, ratings=[]))
        for due_on, achieved_on in milestones.get(task_id, ()):
            _count_milestone(tally, due_on, achieved_on, today)
        closed = closed_on if closure == Closure.CONFIRMED else None
        for due in _report_due_dates(ReportCycle(cycle), assigned_on, start, end, today, grace):
            if closed is not None and closed <= due:
                break
            tally["reports_due"] += 1
            period_start = _period_start(ReportCycle(cycle), due - grace)
            if _reported_between(report_days.get((task_id, unit_id), []), period_start, due):
                tally["reports_on_time"] += 1
        if rating is not None and closed is not None and start <= closed <= end:
            tally["ratings"].append(rating)

    shares = indicators.measure(external, year, as_of)
    return {
        unit_id: UnitFacts(
            unit=units[unit_id][0],
            region=units[unit_id][1],
            milestones_due=tally["milestones_due"],
            milestones_met_on_time=tally["milestones_met_on_time"],
            reports_due=tally["reports_due"],
            reports_on_time=tally["reports_on_time"],
            ratings=tuple(tally["ratings"]),
            overdue_items=tally["overdue_items"],
            external=shares.get(unit_id, {}),
        )
        for unit_id, tally in sorted(counts.items(), key=lambda item: units[item[0]][2])
    }


def _count_milestone(tally, due_on: dt.date, achieved_on: dt.date | None, today: dt.date) -> None:
    achieved = achieved_on if achieved_on is not None and achieved_on <= today else None
    if due_on >= today and achieved is None:
        return  # its day has not passed: not yet due
    tally["milestones_due"] += 1
    if achieved is not None and achieved <= due_on:
        tally["milestones_met_on_time"] += 1
    elif achieved is None:
        tally["overdue_items"] += 1


def _report_due_dates(cycle, assigned_on, start, end, today, grace) -> Iterable[dt.date]:
    """Due dates of the reporting periods from the assignment's period on, in the year and
    already passed (deadlines.next_report_due: a period's report is due at its end)."""
    period = period_end(cycle, assigned_on)
    while True:
        due = period + grace
        if due > end or due >= today:
            return
        if due >= start:
            yield due
        period = period_end(cycle, period + ONE_DAY)


def _period_start(cycle: ReportCycle, last_day: dt.date) -> dt.date:
    if cycle == ReportCycle.MONTHLY:
        return last_day.replace(day=1)
    return dt.date(last_day.year, last_day.month - 2, 1)


def _reported_between(days: list[dt.date], first: dt.date, last: dt.date) -> bool:
    index = bisect_left(days, first)
    return index < len(days) and days[index] <= last


def _unit_names(unit_ids: set[int]) -> dict[int, tuple[str, str, str]]:
    return {
        pk: (name, region, code)
        for pk, name, region, code in Unit.objects.filter(pk__in=unit_ids).values_list(
            "pk", "name", "region__name", "code"
        )
    }


# --- page helpers ---------------------------------------------------------------------------


def responsible_units(task: KeyTask) -> list[TaskResponsibility]:
    """The task's resolved responsibilities with their units (decomposition choices)."""
    return list(
        task.responsibilities.filter(unit__isnull=False).select_related("unit").order_by("id")
    )


def units_to_split_among(task: KeyTask, unit_codes: Iterable[str], groups: Iterable[str]) -> list:
    """The units a decomposition names: chosen unit codes plus every unit of chosen groups
    (e.g. all-cities-and-counties for 各市、县（区）), in the task's responsibility order."""
    codes, keys = set(unit_codes), set(groups)
    return list(
        dict.fromkeys(
            row.unit
            for row in responsible_units(task)
            if row.unit.code in codes or (row.group and row.group in keys)
        )
    )


def ledger_filter_choices(user) -> dict:
    """Choices of the ledger's filters among the tasks ``user`` may read (four queries).

    For those who read every task the choices come from the whole ledger without joining
    the tasks (sub-tasks copy their parent's category, milestones and units, so the sets are
    the same), which keeps the page fast at 100,000 tasks (docs/benchmarks.md, "Ledger")."""
    if sees_all_tasks(user):
        tasks = KeyTask.objects.all()
        scope: dict = {}
        documents = Document.objects.filter(Exists(KeyTask.objects.filter(document=OuterRef("pk"))))
    else:
        tasks = visible_tasks(user).filter(parent__isnull=True)
        scope = {"task__in": tasks.values("pk")}
        documents = Document.objects.filter(pk__in=tasks.values("document_id"))
    responsible = TaskResponsibility.objects.filter(unit=OuterRef("pk"), **scope)
    assigned = Assignment.objects.filter(unit=OuterRef("pk"), **scope)
    return {
        "categories": list(
            tasks.exclude(category="")
            .order_by("category")
            .values_list("category", flat=True)
            .distinct()
        ),
        "units": list(
            Unit.objects.filter(Exists(responsible) | Exists(assigned)).order_by(
                "region__code", "code"
            )
        ),
        "years": list(
            Milestone.objects.filter(year__isnull=False, **scope)
            .order_by("year")
            .values_list("year", flat=True)
            .distinct()
        ),
        "documents": list(documents.order_by("-id")),
    }


def task_timeline(task: KeyTask, user) -> list:
    """The steps of the cycle on this task that ``user`` reads, oldest first, read back from
    the audit trail (every service records with ``obj=task``).

    Field group ``task.timeline``: a step about one unit (交办, 承办, 反馈 name it in
    ``after["unit"]``) is that unit's; a step on the whole task (settings, 办结, a rejection)
    belongs to every unit of the task."""
    events = list(
        AuditEvent.objects.filter(object_type="tasks.keytask", object_id=str(task.pk)).order_by(
            "at", "id"
        )
    )
    codes = {event.after.get("unit") for event in events if isinstance(event.after, dict)}
    unit_ids = dict(Unit.objects.filter(code__in=codes - {None}).values_list("code", "pk"))
    reads_whole_task = reads_work_on_task(user, task, "task.timeline")
    return [event for event in events if _reads_step(user, event, unit_ids, reads_whole_task)]


def _reads_step(user, event, unit_ids: dict, reads_whole_task: bool) -> bool:
    code = event.after.get("unit") if isinstance(event.after, dict) else None
    if code is None:
        return reads_whole_task
    unit_id = unit_ids.get(code)
    if unit_id is None:  # the unit left the registry: its steps stay with the supervisors
        return sees_all_tasks(user)
    return reads_field_group(user, "task.timeline", unit_id)


# -- the task table of a document page ------------------------------------------------


def document_task_rows(document) -> QuerySet[KeyTask]:
    """A document's key tasks with what its task table shows (sections, responsibilities
    with units, milestones, the deadline year): the rows before
    ``filtersets.DocumentTaskFilterSet`` filters and sorts them (the panel in
    ``tasks.hooks`` and ``/api/v1/documents/{id}/tasks``)."""
    return (
        document.tasks.annotate(deadline_year=Max("milestones__year"))
        .select_related("section")
        .prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=TaskResponsibility.objects.select_related("unit"),
            ),
            "milestones",
        )
    )


def task_filter_choices(document) -> tuple[list[Unit], list[int]]:
    """The units and years a document's task table can be filtered by."""
    units = list(
        Unit.objects.filter(task_responsibilities__task__document=document)
        .distinct()
        .order_by("code")
    )
    years = sorted(
        set(
            Milestone.objects.filter(task__document=document, year__isnull=False).values_list(
                "year", flat=True
            )
        )
    )
    return units, years


# -- the timeline (Gantt-style) view of milestones by unit (issue 14, point 6) -------------


@dataclass(frozen=True)
class TimelineBar:
    """One milestone as a bar from the work's start to its due date, in percent of the axis."""

    label: str
    start: dt.date
    due: dt.date
    achieved_on: dt.date | None
    light: str
    text: str
    x: float
    width: float
    achieved_x: float | None


@dataclass(frozen=True)
class TimelineLine:
    task: KeyTask
    bars: list[TimelineBar]


@dataclass(frozen=True)
class TimelineChart:
    start: dt.date
    end: dt.date
    today_x: float | None
    ticks: list[tuple[str, float]]
    groups: list[tuple[str, list[TimelineLine]]]

    @property
    def empty(self) -> bool:
        return not self.groups


def timeline_chart(rows: Iterable[LedgerRow], today: dt.date) -> TimelineChart:
    """Milestones of ``rows`` grouped by the unit in charge (assigned, else responsible as
    written), each a bar from the unit's assignment (or the task's registration, or the
    previous milestone) to its due date, coloured by its light; ongoing milestones have no bar.
    """
    lines: dict[str, list[TimelineLine]] = defaultdict(list)
    spans: list[tuple[dt.date, dt.date]] = []
    drafts = []
    for row in rows:
        task = row.task
        begin = min((a.assigned_on for a in row.assignments), default=None) or task.registered_on
        bars = []
        previous = begin
        for item in sorted(
            (m for m in row.milestones if m.milestone.due_on or m.milestone.year),
            key=lambda m: (
                milestone_due_on(m.milestone.kind, m.milestone.year, m.milestone.due_on)
                or dt.date.max
            ),
        ):
            milestone = item.milestone
            due = milestone_due_on(milestone.kind, milestone.year, milestone.due_on)
            if due is None:
                continue
            start = previous if previous and previous < due else due - dt.timedelta(days=90)
            bars.append((milestone, start, due, item))
            spans.append((start, max(due, milestone.achieved_on or due)))
            previous = due
        if not bars:
            continue
        names = [unit.name for unit in row.units] or [task.raw_responsibility[:40] or "—"]
        drafts.append((names, task, bars))
    if not spans:
        return TimelineChart(today, today, None, [], [])
    first = min(start for start, _end in spans)
    last = max(end for _start, end in spans)
    first = dt.date(first.year, 1, 1)
    last = dt.date(last.year, 12, 31)
    days = (last - first).days or 1

    def x(day: dt.date) -> float:
        return round(100 * (day - first).days / days, 2)

    for names, task, bars in drafts:
        drawn = [
            TimelineBar(
                label=milestone.text or str(milestone.get_kind_display()),
                start=start,
                due=due,
                achieved_on=milestone.achieved_on,
                light=str(item.light),
                text=item.text,
                x=x(start),
                width=max(round(x(due) - x(start), 2), 0.6),
                achieved_x=x(milestone.achieved_on) if milestone.achieved_on else None,
            )
            for milestone, start, due, item in bars
        ]
        for name in names:
            lines[name].append(TimelineLine(task, drawn))
    ticks = [(str(year), x(dt.date(year, 1, 1))) for year in range(first.year, last.year + 1)]
    today_x = x(today) if first <= today <= last else None
    return TimelineChart(first, last, today_x, ticks, sorted(lines.items()))


def task_comments(task: KeyTask) -> list:
    """The task's comments, oldest first, with their authors and mentioned people."""
    return list(
        TaskComment.objects.filter(task=task)
        .select_related("author")
        .prefetch_related("mentions")
        .order_by("created_at", "id")
    )


def task_extensions(task: KeyTask) -> list:
    """Every 延期申请 on the task's milestones, newest first (decided ones stay)."""
    return list(
        ExtensionRequest.objects.filter(milestone__task=task)
        .select_related("milestone", "unit", "requested_by", "decided_by")
        .order_by("-requested_at", "-id")
    )
