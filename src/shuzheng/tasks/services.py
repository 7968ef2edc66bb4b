"""Use cases of key tasks; the only place that writes KeyTask and its rows.

Ingestion stores a document's tasks; the supervision cycle (issue 5, item 2; GLOSSARY: 交办
assign, 承办 undertake, 反馈 report, 催办 remind, 办结 close) moves them. Every step runs in one
transaction, locks the task row, writes the audit trail with ``obj=task`` (the task page's
timeline reads it back), and refuses invalid steps with :class:`TaskActionError`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from shuzheng import clock
from shuzheng.accounts.choices import Role
from shuzheng.audit.services import record_change, snapshot
from shuzheng.documents.parsing import model as parsed
from shuzheng.documents.parsing.milestones import parse_deadline
from shuzheng.orgs.models import Unit
from shuzheng.orgs.services import resolve_responsibility
from shuzheng.tasks.choices import (
    AssignmentState,
    Closure,
    MilestoneKind,
    ReportCycle,
    ResponsibilityRole,
    TaskForm,
)
from shuzheng.tasks.deadlines import ReminderStage, milestone_due_on, reminders_between
from shuzheng.tasks.evidence import EvidenceError, check_upload, stored_name
from shuzheng.tasks.light_changes import next_light_change
from shuzheng.tasks.models import (
    Assignment,
    Evidence,
    KeyTask,
    Milestone,
    ProgressReport,
    TaskResponsibility,
)
from shuzheng.tasks.policy import light_policy, reminder_policy
from shuzheng.tasks.status import Light, LightPolicy

ROLE_OF_LIST = {
    "lead_units": ResponsibilityRole.LEAD,
    "owner_units": ResponsibilityRole.OWNER,
    "supporting_units": ResponsibilityRole.SUPPORTING,
}


def record_document_tasks(document, parsed_tasks: Sequence[parsed.KeyTask], actor) -> list[KeyTask]:
    """Store a document's key tasks with their responsible units and milestones.

    Issue 3, item 9: every task of a task list (and every inline 〔责任单位：…〕 measure) becomes
    a KeyTask; each resolved unit code becomes one TaskResponsibility, and a name the resolver
    could not place is kept with an empty unit so no responsibility is lost. Runs inside the
    caller's transaction (documents.services.ingest_file); writes in bulk, one audit event
    per document rather than per task.
    """
    if not parsed_tasks:
        return []
    locate_section = _section_locator(document)
    registered_on = document.written_on or document.published_on or clock.today()
    tasks = KeyTask.objects.bulk_create(
        KeyTask(
            document=document,
            section_id=locate_section(item.start - document.start),
            number=item.number,
            category=item.category,
            content=item.content,
            raw_responsibility=item.raw_responsibility,
            deadline_text=item.deadline_text,
            form=item.form,
            start=item.start - document.start,
            end=item.end - document.start,
            registered_on=registered_on,
        )
        for item in parsed_tasks
    )
    units = _units_by_code(parsed_tasks)
    TaskResponsibility.objects.bulk_create(
        row
        for task, item in zip(tasks, parsed_tasks, strict=True)
        for row in _responsibilities(task, item, units)
    )
    Milestone.objects.bulk_create(
        Milestone(task=task, kind=step.kind, year=step.year, due_on=step.on, text=step.text)
        for task, item in zip(tasks, parsed_tasks, strict=True)
        for step in item.milestones
    )
    refresh_lights([task.pk for task in tasks])
    record_change(
        actor=actor,
        action="tasks.record_document_tasks",
        obj=document,
        after={"tasks": len(tasks), "document_id": document.pk},
    )
    return tasks


def _section_locator(document):
    """The innermost section containing an offset: the last one starting at or before it."""
    sections = list(document.sections.order_by("start", "-end").values_list("id", "start", "end"))
    starts = [start for _, start, _ in sections]

    def locate(offset: int) -> int | None:
        index = bisect_right(starts, offset) - 1
        while index >= 0:
            section_id, start, end = sections[index]
            if start <= offset < end:
                return section_id
            index -= 1
        return None

    return locate


def _units_by_code(parsed_tasks: Iterable[parsed.KeyTask]) -> dict[str, Unit]:
    codes = {
        code
        for item in parsed_tasks
        for attr in ROLE_OF_LIST
        for ref in getattr(item, attr)
        for code in ref.unit_codes
    }
    return Unit.objects.in_bulk(codes, field_name="code") if codes else {}


def _responsibilities(task: KeyTask, item: parsed.KeyTask, units: dict[str, Unit]):
    for attr, role in ROLE_OF_LIST.items():
        for ref in getattr(item, attr):
            known = [units[code] for code in ref.unit_codes if code in units]
            group = ref.group or ""
            if not known:
                yield TaskResponsibility(
                    task=task, unit=None, role=role, name=ref.name, group=group
                )
            for unit in known:
                yield TaskResponsibility(
                    task=task, unit=unit, role=role, name=ref.name, group=group
                )


# --- the supervision cycle (issue 5, item 2) ------------------------------------------------


class TaskActionError(ValueError):
    """A refused step of the cycle (e.g. confirming an unclaimed task): nothing was changed,
    and the message says why in words a user can act on."""


def create_task(
    *,
    category: str,
    content: str,
    responsibility: str,
    deadline: str,
    report_cycle: str = ReportCycle.MONTHLY,
    is_public: bool = False,
    actor,
) -> KeyTask:
    """A key task entered by hand by a supervisor (issue 5, item 1).

    The 责任单位 text goes through the one unit resolver (orgs) and the 完成时限 text through the
    document parser's deadline reader, so a hand-made task has the same units and milestones
    an ingested row would have; a deadline clause nobody understands is refused.
    """
    content = content.strip()
    if not content:
        raise TaskActionError(_("Describe the task."))
    if report_cycle not in ReportCycle.values:
        raise TaskActionError(_("Choose a monthly or quarterly report cycle."))
    deadline_result = parse_deadline(deadline)
    if deadline_result.unparsed:
        raise TaskActionError(
            _("This deadline could not be read: %(clauses)s. Write e.g. 2024年 or 2024年6月30日.")
            % {"clauses": "、".join(deadline_result.unparsed)}
        )
    resolved = resolve_responsibility(responsibility) if responsibility.strip() else None
    with transaction.atomic():
        last = KeyTask.objects.filter(form=TaskForm.MANUAL).aggregate(last=Max("number"))["last"]
        task = KeyTask.objects.create(
            number=(last or 0) + 1,
            category=category.strip(),
            content=content,
            raw_responsibility=responsibility.strip(),
            deadline_text=deadline.strip(),
            form=TaskForm.MANUAL,
            report_cycle=report_cycle,
            is_public=is_public,
            registered_on=clock.today(),
        )
        if resolved is not None:
            _store_resolved_responsibilities(task, resolved)
        Milestone.objects.bulk_create(
            Milestone(task=task, kind=step.kind, year=step.year, due_on=step.on, text=step.text)
            for step in deadline_result.milestones
        )
        refresh_lights([task.pk])
        record_change(actor=actor, action="tasks.create", obj=task, after=_task_snapshot(task))
    return task


def _store_resolved_responsibilities(task: KeyTask, resolved) -> None:
    codes = {code for items in resolved.by_role().values() for r in items for code in r.unit_codes}
    units = Unit.objects.in_bulk(codes, field_name="code") if codes else {}
    rows = []
    for role, items in resolved.by_role().items():
        for item in items:
            known = [units[code] for code in item.unit_codes if code in units]
            for unit in known or [None]:
                rows.append(
                    TaskResponsibility(
                        task=task, unit=unit, role=role, name=item.name, group=item.group or ""
                    )
                )
    TaskResponsibility.objects.bulk_create(rows)


def update_settings(
    task: KeyTask, *, report_cycle: str | None = None, is_public: bool | None = None, actor
) -> KeyTask:
    """Per-task settings (issue 5, item 1): report cycle and public visibility. Sub-tasks
    follow their parent's settings, so changing a parent changes its sub-tasks too."""
    if report_cycle is not None and report_cycle not in ReportCycle.values:
        raise TaskActionError(_("Choose a monthly or quarterly report cycle."))
    with transaction.atomic():
        task = _locked(task)
        before = _task_snapshot(task)
        changes = {}
        if report_cycle is not None:
            changes["report_cycle"] = report_cycle
        if is_public is not None:
            changes["is_public"] = is_public
        for name, value in changes.items():
            setattr(task, name, value)
        task.save(update_fields=list(changes) or None)
        if changes:
            task.subtasks.update(**changes)
        refresh_lights([task.pk])
        record_change(
            actor=actor,
            action="tasks.update_settings",
            obj=task,
            before=before,
            after=_task_snapshot(task),
        )
    return task


def assign(task: KeyTask, unit: Unit, *, actor, due_on=None, note: str = "") -> Assignment:
    """交办: a supervisor gives the task to a unit (issue 5, item 2).

    The due date defaults to the earliest open dated milestone (完成时限). A closed task, a
    decomposed task (its sub-tasks are assigned instead) and a second assignment to the same
    unit are refused. The unit's staff are notified.
    """
    with transaction.atomic():
        task = _locked(task)
        _refuse_if_closed(task)
        if task.subtasks.exists():
            raise TaskActionError(
                _("This task is split into sub-tasks; assign the sub-tasks instead.")
            )
        if task.parent_id and task.unit_id and task.unit_id != unit.pk:
            raise TaskActionError(
                _("This sub-task belongs to %(unit)s; assign it to that unit.")
                % {"unit": task.unit}
            )
        if Assignment.objects.filter(task=task, unit=unit).exists():
            raise TaskActionError(_("The task is already assigned to %(unit)s.") % {"unit": unit})
        today = clock.today()
        if due_on is None:
            due_on = _earliest_open_due(task)
        elif due_on < today:
            raise TaskActionError(_("The due date cannot lie in the past."))
        assignment = Assignment.objects.create(
            task=task,
            unit=unit,
            assigned_on=today,
            due_on=due_on,
            note=note.strip(),
            assigned_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        refresh_lights([task.pk])
        record_change(
            actor=actor,
            action="tasks.assign",
            obj=task,
            after={"unit": unit.code, "unit_name": unit.name, "due_on": _iso(due_on), "note": note},
        )
        _notify_unit(
            unit,
            kind="task_assigned",
            title=_("Task assigned to your unit: %(task)s") % {"task": _short(task)},
            body=_("Due on %(due)s. %(note)s") % {"due": _iso(due_on) or "—", "note": note},
            task=task,
            reason=_("Your unit was assigned this key task (交办)."),
            dedupe_key=f"tasks.assign:{assignment.pk}",
            actor=actor,
        )
    return assignment


def undertake(task: KeyTask, unit: Unit, *, actor) -> Assignment:
    """承办: the unit accepts the task assigned to it; reporting needs an accepted task."""
    with transaction.atomic():
        task = _locked(task)
        _refuse_if_closed(task)
        assignment = _assignment_of(task, unit)
        if assignment.state == AssignmentState.UNDERTAKEN:
            raise TaskActionError(_("%(unit)s has already accepted this task.") % {"unit": unit})
        before = snapshot(assignment)
        assignment.state = AssignmentState.UNDERTAKEN
        assignment.undertaken_on = clock.today()
        assignment.undertaken_by = actor if getattr(actor, "is_authenticated", False) else None
        assignment.save(update_fields=["state", "undertaken_on", "undertaken_by"])
        refresh_lights([task.pk])
        record_change(
            actor=actor,
            action="tasks.undertake",
            obj=task,
            before={"assignment": before},
            after={"unit": unit.code, "unit_name": unit.name},
        )
    return assignment


def report(
    task: KeyTask,
    unit: Unit,
    *,
    text: str,
    percent: int | None,
    files=(),
    actor,
    claims_completion: bool = False,
) -> ProgressReport:
    """反馈: a periodic progress report with text, percentage and evidence files.

    Only the unit the task was assigned to, once it accepted (承办), may report; files are
    checked (tasks.evidence) before anything is stored, so a bad file changes nothing.
    """
    text = (text or "").strip()
    if not text:
        raise TaskActionError(_("Write what was done in this period."))
    if percent is not None and not 0 <= percent <= 100:
        raise TaskActionError(_("The percentage must lie between 0 and 100."))
    files = list(files)
    try:
        checked = [check_upload(upload) for upload in files]
    except EvidenceError as error:
        raise TaskActionError(str(error)) from None
    if len(checked) > MAX_FILES_PER_REPORT:
        raise TaskActionError(
            _("Attach at most %(count)d files to one report.") % {"count": MAX_FILES_PER_REPORT}
        )
    stored: list[Evidence] = []
    try:
        with transaction.atomic():
            task = _locked(task)
            _refuse_if_closed(task)
            if task.closure == Closure.CLAIMED:
                raise TaskActionError(
                    _("Completion was already claimed; wait for the supervisor's decision.")
                )
            assignment = _assignment_of(task, unit)
            if assignment.state != AssignmentState.UNDERTAKEN:
                raise TaskActionError(_("Accept the task (承办) before reporting on it."))
            progress = ProgressReport.objects.create(
                task=task,
                unit=unit,
                reported_on=clock.today(),
                created_at=clock.now(),
                author=actor if getattr(actor, "is_authenticated", False) else None,
                text=text,
                percent=100 if claims_completion else percent,
                claims_completion=claims_completion,
            )
            for upload, data in zip(files, checked, strict=True):
                evidence = Evidence(
                    report=progress,
                    name=data.name,
                    size=data.size,
                    content_type=data.content_type,
                    sha256=data.sha256,
                )
                evidence.file.save(stored_name(data.name), upload, save=True)
                stored.append(evidence)
            before = _task_snapshot(task)
            if claims_completion:
                task.closure = Closure.CLAIMED
                task.save(update_fields=["closure"])
            refresh_lights([task.pk])
            record_change(
                actor=actor,
                action="tasks.claim" if claims_completion else "tasks.report",
                obj=task,
                before=before if claims_completion else None,
                after={
                    "report_id": progress.pk,
                    "unit": unit.code,
                    "unit_name": unit.name,
                    "percent": progress.percent,
                    "text": text,
                    "evidence": [item.name for item in stored],
                },
            )
    except BaseException:
        for evidence in stored:
            evidence.file.delete(save=False)
        raise
    return progress


def claim_completion(task: KeyTask, unit: Unit, *, text: str, files=(), actor) -> ProgressReport:
    """申请办结: the unit reports the task complete; the supervisor confirms or rejects."""
    return report(
        task, unit, text=text, percent=100, files=files, actor=actor, claims_completion=True
    )


def close(task: KeyTask, *, actor, rating: int | None = None) -> KeyTask:
    """办结 confirmed by the supervisor (issue 5, item 2); only a claimed task can be closed.

    Every milestone not yet achieved counts as achieved on the day of the claim (the unit's
    report said it was done then), so the assessment sees on-time and late work as it was.
    ``rating`` (1–5) is the supervisor's rating of the assigned units' work (考核).
    """
    if rating is not None and not RATING_MIN <= rating <= RATING_MAX:
        raise TaskActionError(
            _("A rating runs from %(low)d to %(high)d.") % {"low": RATING_MIN, "high": RATING_MAX}
        )
    with transaction.atomic():
        task = _locked(task)
        if task.closure != Closure.CLAIMED:
            raise TaskActionError(
                _("Only a task whose completion was claimed can be closed; this one is %(state)s.")
                % {"state": task.get_closure_display()}
            )
        before = _task_snapshot(task)
        claimed_on = (
            task.reports.filter(claims_completion=True)
            .order_by("-reported_on", "-id")
            .values_list("reported_on", flat=True)
            .first()
        )
        task.milestones.filter(achieved_on__isnull=True).exclude(kind=MilestoneKind.ONGOING).update(
            achieved_on=claimed_on
        )
        task.milestones.filter(achieved_on__isnull=True, kind=MilestoneKind.ONGOING).update(
            achieved_on=clock.today()
        )
        task.closure = Closure.CONFIRMED
        task.closed_on = clock.today()
        task.save(update_fields=["closure", "closed_on"])
        if rating is not None:
            task.assignments.update(rating=rating)
        refresh_lights([task.pk])
        record_change(
            actor=actor,
            action="tasks.close",
            obj=task,
            before=before,
            after={**_task_snapshot(task), "rating": rating, "claimed_on": _iso(claimed_on)},
        )
    return task


def reject(task: KeyTask, *, reason: str, actor) -> KeyTask:
    """The supervisor rejects a completion claim with a reason: back to in progress."""
    reason = (reason or "").strip()
    if not reason:
        raise TaskActionError(_("Say why the completion claim is rejected."))
    with transaction.atomic():
        task = _locked(task)
        if task.closure != Closure.CLAIMED:
            raise TaskActionError(_("Only a claimed completion can be rejected."))
        before = _task_snapshot(task)
        task.closure = Closure.OPEN
        task.save(update_fields=["closure"])
        refresh_lights([task.pk])
        record_change(
            actor=actor,
            action="tasks.reject",
            obj=task,
            before=before,
            after={**_task_snapshot(task), "reason": reason},
        )
        for assignment in task.assignments.select_related("unit"):
            _notify_unit(
                assignment.unit,
                kind="task_rejected",
                title=_("Completion claim rejected: %(task)s") % {"task": _short(task)},
                body=reason,
                task=task,
                reason=_("The supervisor rejected your unit's completion claim."),
                dedupe_key=f"tasks.reject:{task.pk}:{clock.now().isoformat()}",
                actor=actor,
            )
    return task


def decompose(
    task: KeyTask, *, units: Iterable[Unit], per_year: bool = False, actor
) -> list[KeyTask]:
    """Split a task into sub-tasks per unit and, optionally, per year (issue 5, item 1).

    E.g. a task whose owner group is 各市、县（区） becomes one sub-task per city and county
    government; with ``per_year`` a multi-year deadline ("2023年启动，2024年建成") gives one
    sub-task per year, ongoing milestones (持续推进) one more. Sub-tasks copy the parent's
    content, settings and milestones and roll up into its light. Only an open, undivided,
    unassigned top-level task can be split, and only among units responsible for it.
    """
    units = list(dict.fromkeys(units))
    if not units:
        raise TaskActionError(_("Choose at least one unit to split the task among."))
    with transaction.atomic():
        task = _locked(task)
        _refuse_if_closed(task)
        if task.parent_id:
            raise TaskActionError(_("A sub-task cannot be split further."))
        if task.subtasks.exists():
            raise TaskActionError(_("This task is already split into sub-tasks."))
        if task.assignments.exists():
            raise TaskActionError(_("An assigned task cannot be split; it is already in hand."))
        roles = dict(
            task.responsibilities.filter(unit__isnull=False).values_list("unit_id", "role")
        )
        strangers = [unit.name for unit in units if unit.pk not in roles]
        if strangers:
            raise TaskActionError(
                _("Not responsible for this task: %(units)s.") % {"units": "、".join(strangers)}
            )
        milestones = list(task.milestones.all())
        groups = _milestones_by_year(milestones) if per_year else [(None, milestones)]
        created = []
        for unit in units:
            for year, steps in groups:
                created.append(_subtask(task, unit, roles[unit.pk], year, steps))
        refresh_lights([task.pk])
        record_change(
            actor=actor,
            action="tasks.decompose",
            obj=task,
            after={
                "subtasks": [sub.pk for sub in created],
                "units": [unit.code for unit in units],
                "per_year": per_year,
            },
        )
    return created


def _milestones_by_year(milestones: list[Milestone]) -> list[tuple[int | None, list[Milestone]]]:
    years: dict[int | None, list[Milestone]] = {}
    for milestone in milestones:
        year = milestone.year or (milestone.due_on.year if milestone.due_on else None)
        years.setdefault(year, []).append(milestone)
    return sorted(years.items(), key=lambda item: (item[0] is None, item[0] or 0)) or [(None, [])]


def _subtask(parent: KeyTask, unit: Unit, role: str, year, steps: list[Milestone]) -> KeyTask:
    sub = KeyTask.objects.create(
        parent=parent,
        unit=unit,
        year=year,
        number=parent.number,
        category=parent.category,
        content=parent.content,
        raw_responsibility=unit.name,
        deadline_text="，".join(step.text for step in steps if step.text) or parent.deadline_text,
        form=parent.form,
        is_public=parent.is_public,
        report_cycle=parent.report_cycle,
        registered_on=clock.today(),
    )
    TaskResponsibility.objects.create(task=sub, unit=unit, role=role, name=unit.name)
    Milestone.objects.bulk_create(
        Milestone(task=sub, kind=s.kind, year=s.year, due_on=s.due_on, text=s.text) for s in steps
    )
    return sub


# --- stored lights (docs/ledger.md, "Stored lights") ---------------------------------------

#: Derived from the facts by tasks.status; kept out of the audit trail, which records changes.
LIGHT_FIELDS = ("light", "light_reason", "light_computed_on", "light_changes_on", "next_due_on")
#: Families judged per batch: one batch is five reads and a few grouped updates.
REFRESH_BATCH = 2000
#: A ledger request recomputes at most this many out-of-date lights itself (e.g. tasks written
#: outside the services, or a clock moved by a demo); more wait for ``shuzheng refreshlights``
#: and the page says how old its lights are. Keeps every page view well under 200 ms.
READ_REFRESH_LIMIT = 300


@dataclass
class LightRefresh:
    as_of: date
    families: int = 0
    tasks: int = 0
    changed: int = 0

    def __str__(self) -> str:
        return (
            f"{self.tasks} task lights recomputed as of {self.as_of.isoformat()} "
            f"({self.families} families); {self.changed} changed"
        )


def refresh_lights(
    tasks: QuerySet[KeyTask] | Iterable[int],
    today: date | None = None,
    *,
    policy: LightPolicy | None = None,
) -> LightRefresh:
    """Store the light of these tasks, their parents and their sub-tasks as of ``today``.

    Issue 5: the ledger filters and sorts by a stored light, and ``tasks.status`` stays the one
    rule set — this only stores what ``selectors.build_rows`` judged (a decomposed task's
    light rolled up from its sub-tasks) with the day it holds until (``tasks.light_changes``;
    a parent's is its family's earliest). Every service that changes a task calls it inside
    its transaction; ``refresh_stale_lights`` calls it for the passage of time. The family's
    parent rows are locked first (as ``_locked`` does), so concurrent steps queue up.
    """
    from shuzheng.tasks.selectors import build_rows

    today = today or clock.today()
    policy = policy or light_policy()
    if not isinstance(tasks, QuerySet):
        tasks = KeyTask.objects.filter(pk__in=list(tasks))
    roots = sorted(
        set(tasks.annotate(root=Coalesce("parent_id", "id")).values_list("root", flat=True))
    )
    done = LightRefresh(today)
    for start in range(0, len(roots), REFRESH_BATCH):
        batch = roots[start : start + REFRESH_BATCH]
        with transaction.atomic():
            list(
                KeyTask.objects.select_for_update().filter(pk__in=batch).order_by("pk").values("pk")
            )
            rows = build_rows(KeyTask.objects.filter(pk__in=batch), today, policy)
            judged = [task for row in rows for task in _judged(row, today, policy)]
            done.changed += sum(1 for task in judged if task.light_changed)
            _store_lights(judged, today)
        done.families += len(rows)
        done.tasks += len(judged)
    return done


def refresh_stale_lights(today: date | None = None, *, everything: bool = False) -> LightRefresh:
    """``shuzheng refreshlights``: recompute the lights that may have changed by ``today`` —
    those never computed, computed for a later day, or whose change day has come (or every
    light with ``everything``, e.g. after changing SHUZHENG_LEDGER_* windows). Idempotent:
    a second run on the same day finds nothing to do."""
    from shuzheng.tasks.selectors import stale_light_tasks

    today = today or clock.today()
    return refresh_lights(KeyTask.objects.all() if everything else stale_light_tasks(today), today)


def refresh_lights_for_reading(today: date):
    """Before the ledger is read in SQL: recompute a few out-of-date lights on the spot
    (at most READ_REFRESH_LIMIT); more are left to ``shuzheng refreshlights``, and the lag is
    returned for the page's note (``selectors.LightsAge``; None when all lights hold)."""
    from shuzheng.tasks.selectors import lights_age, stale_light_tasks

    stale = list(
        stale_light_tasks(today).order_by().values_list("pk", flat=True)[: READ_REFRESH_LIMIT + 1]
    )
    if not stale:
        return None
    if len(stale) <= READ_REFRESH_LIMIT:
        refresh_lights(stale, today)
        return None
    return lights_age(today)


def _judged(row, today: date, policy: LightPolicy) -> list[KeyTask]:
    """The row's task and its sub-tasks with their light fields set from the row."""
    tasks = []
    changes = []
    for sub in row.subtasks:
        tasks.extend(_judged(sub, today, policy))
        changes.append(sub.task.light_changes_on)
    changes.append(_own_light_changes_on(row, today, policy))
    task = row.task
    task.light_changed = (task.light, task.light_reason) != (str(row.light), str(row.reason))
    task.light = str(row.light)
    task.light_reason = str(row.reason)
    task.light_computed_on = today
    task.light_changes_on = min((day for day in changes if day is not None), default=None)
    task.next_due_on = row.next_due_on
    tasks.append(task)
    return tasks


def _store_lights(tasks: list[KeyTask], today: date) -> None:
    """One UPDATE per distinct (light, reason, change day, next due date) of the batch.

    Many tasks share these values (a light changes on a month's or a year's end), so this
    writes a batch of 2,000 in a few dozen statements; ``bulk_update`` builds one CASE branch
    per task and field, which measured 2 ms a task (docs/benchmarks.md, "Ledger")."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for task in tasks:
        key = (task.light, task.light_reason, task.light_changes_on, task.next_due_on)
        groups[key].append(task.pk)
    for (light, reason, changes_on, next_due_on), ids in groups.items():
        KeyTask.objects.filter(pk__in=ids).update(
            light=light,
            light_reason=reason,
            light_computed_on=today,
            light_changes_on=changes_on,
            next_due_on=next_due_on,
        )


def _own_light_changes_on(row, today: date, policy: LightPolicy) -> date | None:
    """A task never assigned nor registered starts its reporting duties "today"
    (selectors.task_facts), so its light is judged again every day."""
    if not row.assignments and row.task.registered_on is None:
        return today + timedelta(days=1)
    return next_light_change(row.facts, today, policy)


def _task_snapshot(task: KeyTask) -> dict:
    return snapshot(task, exclude=LIGHT_FIELDS)


# --- reminders (催办) -----------------------------------------------------------------------


@dataclass
class ReminderSummary:
    reminders: int = 0
    red_lights: int = 0
    tasks: int = 0

    def __str__(self) -> str:
        return (
            f"{self.tasks} assigned open tasks checked; {self.reminders} reminders and "
            f"{self.red_lights} red-light notices queued"
        )


def send_due_reminders(today: date, *, actor=None) -> ReminderSummary:
    """催办: remind the units of assigned, open tasks before and after due dates, and tell
    them once per milestone when it turns red (issue 5, item 2; seed task 124).

    Due dates are the milestones' (ongoing ones: the next report due date); the schedule is
    ``deadlines.reminders_between`` under the configured ReminderPolicy. Each milestone sends
    only its newest reminder up to ``today``, so a job that missed days catches up with one
    message, not a burst. Idempotent per (task, milestone, reminder date): the dedupe key of
    ``notify`` makes a second run on the same day send nothing.
    """
    from shuzheng.tasks.selectors import LedgerFilters, ledger_rows

    schedule = reminder_policy()
    summary = ReminderSummary()
    assigned = KeyTask.objects.filter(
        pk__in=Assignment.objects.values("task_id"), closure=Closure.OPEN
    )
    rows = ledger_rows(LedgerFilters(include_subtasks=True), today, tasks=assigned)
    recipients = _unit_staff({a.unit_id for row in rows for a in row.assignments})
    with transaction.atomic():
        for row in rows:
            summary.tasks += 1
            people = [p for a in row.assignments for p in recipients.get(a.unit_id, [])]
            for item in row.milestones:
                milestone = item.milestone
                if milestone.achieved_on is not None and milestone.achieved_on <= today:
                    continue
                due_on = milestone.due_on or (item.verdict.on if item.verdict.on else None)
                if due_on is None:
                    continue
                due = reminders_between(due_on, schedule, None, today)
                if due:
                    summary.reminders += _remind(row.task, milestone, due_on, due[-1], people)
                if item.verdict.light == Light.RED:
                    summary.red_lights += _warn_red(row.task, milestone, item.verdict, people)
        record_change(
            actor=actor,
            action="tasks.send_due_reminders",
            object_type="tasks.reminders",
            object_id=today.isoformat(),
            object_repr=f"reminders {today.isoformat()}",
            after={
                "tasks": summary.tasks,
                "reminders": summary.reminders,
                "red_lights": summary.red_lights,
            },
        )
    return summary


def _remind(task, milestone, due_on: date, reminder, people) -> int:
    stage = reminder.stage
    if stage == ReminderStage.BEFORE:
        title = _("Reminder: %(task)s is due on %(due)s")
    elif stage == ReminderStage.ON:
        title = _("Due today: %(task)s (%(due)s)")
    else:
        title = _("Overdue (催办): %(task)s was due on %(due)s")
    values = {"task": _short(task), "due": due_on.isoformat()}
    sent = 0
    for person in people:
        sent += _notify(
            person,
            kind="task_reminder",
            title=title % values,
            body=_(
                "Milestone: %(milestone)s. Report progress or claim completion on the task page."
            )
            % {"milestone": milestone.text or milestone.get_kind_display()},
            task=task,
            reason=_("Your unit was assigned this key task."),
            dedupe_key=f"tasks.remind:{task.pk}:{milestone.pk}:{reminder.on.isoformat()}",
        )
    return sent


def _warn_red(task, milestone, verdict, people) -> int:
    sent = 0
    for person in people:
        sent += _notify(
            person,
            kind="task_red_light",
            title=_("Red light: %(task)s") % {"task": _short(task)},
            body=f"{milestone.text or milestone.get_kind_display()}: {verdict.describe(_)}",
            task=task,
            reason=_("A milestone of a task assigned to your unit is overdue."),
            dedupe_key=f"tasks.red:{task.pk}:{milestone.pk}",
        )
    return sent


def _unit_staff(unit_ids: set[int]) -> dict[int, list]:
    from shuzheng.accounts.models import User

    people = defaultdict(list)
    for user in User.objects.filter(
        unit_id__in=unit_ids, is_active=True, role__in=[Role.UNIT_STAFF, Role.UNIT_HEAD]
    ).order_by("pk"):
        people[user.unit_id].append(user)
    return people


def _notify_unit(unit, *, kind, title, body, task, reason, dedupe_key, actor=None) -> int:
    sent = 0
    for person in _unit_staff({unit.pk}).get(unit.pk, []):
        sent += _notify(
            person,
            kind=kind,
            title=title,
            body=body,
            task=task,
            reason=reason,
            dedupe_key=dedupe_key,
            actor=actor,
        )
    return sent


def _notify(person, *, kind, title, body, task, reason, dedupe_key, actor=None) -> int:
    from shuzheng.notifications.services import notify

    notification = notify(
        person,
        kind=kind,
        title=str(title)[:300],
        body=str(body),
        link=task.get_absolute_url(),
        reason=str(reason),
        dedupe_key=dedupe_key,
        actor=actor,
    )
    return 0 if notification is None else 1


# --- helpers --------------------------------------------------------------------------------

RATING_MIN, RATING_MAX = 1, 5
MAX_FILES_PER_REPORT = 10


def _locked(task: KeyTask) -> KeyTask:
    """The task row, re-read under a row lock so two steps on one task queue up.

    A sub-task's parent is locked first: its stored light rolls up from every sub-task, so
    two steps on sibling sub-tasks (and ``refresh_lights``, which locks parents first too)
    queue up instead of each storing a roll-up that misses the other's change.
    """
    ids = [task.parent_id, task.pk] if task.parent_id else [task.pk]
    rows = {
        row.pk: row for row in KeyTask.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    if task.pk not in rows:
        raise KeyTask.DoesNotExist(f"key task {task.pk} does not exist")
    return rows[task.pk]


def _refuse_if_closed(task: KeyTask) -> None:
    if task.closure == Closure.CONFIRMED:
        raise TaskActionError(_("This task is closed (办结); nothing more can be done on it."))


def _assignment_of(task: KeyTask, unit: Unit) -> Assignment:
    assignment = Assignment.objects.filter(task=task, unit=unit).first()
    if assignment is None:
        raise TaskActionError(
            _("This task is not assigned to %(unit)s; only the assigned unit can act on it.")
            % {"unit": unit}
        )
    return assignment


def _earliest_open_due(task: KeyTask) -> date | None:
    dates = [
        milestone_due_on(kind, year, on)
        for kind, year, on in task.milestones.filter(achieved_on__isnull=True).values_list(
            "kind", "year", "due_on"
        )
    ]
    return min((day for day in dates if day is not None), default=None)


def _short(task: KeyTask) -> str:
    return str(task)[:120]


def _iso(day) -> str | None:
    return day.isoformat() if day else None
