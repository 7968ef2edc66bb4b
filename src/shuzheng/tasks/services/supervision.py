"""The supervision cycle (issue 5, items 1 and 2): hand-entered tasks, their settings, and
交办 assign → 承办 undertake → 反馈 report → 申请办结 claim → 办结 close or reject, and the
decomposition into sub-tasks. Each step locks the task row, refreshes its stored light and
writes the audit trail in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from shuzheng import clock
from shuzheng.audit.services import record_change, snapshot
from shuzheng.documents.parsing.milestones import parse_deadline
from shuzheng.orgs.models import Unit
from shuzheng.orgs.services import resolve_responsibility
from shuzheng.tasks.choices import (
    AssignmentState,
    Closure,
    MilestoneKind,
    ReportCycle,
    TaskForm,
)
from shuzheng.tasks.deadlines import milestone_due_on
from shuzheng.tasks.evidence import EvidenceError, check_upload, stored_name
from shuzheng.tasks.models import (
    Assignment,
    Evidence,
    KeyTask,
    Milestone,
    ProgressReport,
    TaskResponsibility,
)
from shuzheng.tasks.services.lights import refresh_lights, task_snapshot
from shuzheng.tasks.services.notices import (
    TASK_ASSIGNED,
    TASK_REJECTED,
    notify_unit,
    notify_watchers,
    short_title,
)

RATING_MIN, RATING_MAX = 1, 5
MAX_FILES_PER_REPORT = 10


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
    if resolved is not None:
        _check_unit_names(resolved)
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
        record_change(actor=actor, action="tasks.create", obj=task, after=task_snapshot(task))
    return task


def _check_unit_names(resolved) -> None:
    """A name longer than a stored responsibility's name is refused before anything is
    written (issue 9: found by schemathesis, a database error on PostgreSQL)."""
    limit = TaskResponsibility._meta.get_field("name").max_length
    if any(len(item.name) > limit for items in resolved.by_role().values() for item in items):
        raise TaskActionError(
            _("A responsible unit's name may have at most %(limit)d characters.") % {"limit": limit}
        )


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
        before = task_snapshot(task)
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
            after=task_snapshot(task),
        )
        notify_watchers(task, step="tasks.update_settings", actor=actor)
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
        notify_watchers(task, step="tasks.assign", actor=actor)
        notify_unit(
            unit,
            kind=TASK_ASSIGNED,
            params={"task": short_title(task), "due": _iso(due_on) or "", "note": note},
            task=task,
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
        notify_watchers(task, step="tasks.undertake", actor=actor)
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
            before = task_snapshot(task)
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
            notify_watchers(
                task,
                step="tasks.claim" if claims_completion else "tasks.report",
                actor=actor,
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
        before = task_snapshot(task)
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
            after={**task_snapshot(task), "rating": rating, "claimed_on": _iso(claimed_on)},
        )
        notify_watchers(task, step="tasks.close", actor=actor)
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
        before = task_snapshot(task)
        task.closure = Closure.OPEN
        task.save(update_fields=["closure"])
        refresh_lights([task.pk])
        record_change(
            actor=actor,
            action="tasks.reject",
            obj=task,
            before=before,
            after={**task_snapshot(task), "reason": reason},
        )
        notify_watchers(task, step="tasks.reject", actor=actor)
        for assignment in task.assignments.select_related("unit"):
            notify_unit(
                assignment.unit,
                kind=TASK_REJECTED,
                params={"task": short_title(task), "why": reason},
                task=task,
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
        notify_watchers(task, step="tasks.decompose", actor=actor)
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


def _iso(day) -> str | None:
    return day.isoformat() if day else None
