"""The ledger as supervisors work it (issue 14, point 6): comments with @mentions, watchers,
延期申请 (extension requests), bulk assignment and saved filters.

What OpenProject, Redmine and the 督查督办 systems give: a task is discussed where it is
supervised, the people named in a comment are told, whoever follows a task hears of each
step on it, a unit asks for more time instead of silently going red and the supervisor
decides (the due date moves only on approval, and every request stays in the history), a
supervisor hands a batch of tasks to one unit at once, and each person keeps named filters
of the ledger. Every write is audited with ``obj=task`` (the task page's timeline reads it
back) in the transaction that makes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from shuzheng import clock
from shuzheng.accounts.models import User
from shuzheng.audit.services import record_change
from shuzheng.orgs.models import Unit
from shuzheng.tasks import selectors
from shuzheng.tasks.choices import ExtensionState, MilestoneKind
from shuzheng.tasks.deadlines import milestone_due_on
from shuzheng.tasks.filtersets import LedgerFilterSet
from shuzheng.tasks.models import (
    Assignment,
    ExtensionRequest,
    KeyTask,
    Milestone,
    SavedFilter,
    TaskComment,
    TaskWatcher,
)
from shuzheng.tasks.services import supervision
from shuzheng.tasks.services.lights import refresh_lights
from shuzheng.tasks.services.notices import (
    TASK_EXTENSION_DECIDED,
    TASK_EXTENSION_REQUESTED,
    TASK_MENTIONED,
    notify,
    notify_unit,
    notify_watchers,
    short_title,
    supervisors,
)

TaskActionError = supervision.TaskActionError
MAX_COMMENT = 5000
MAX_REASON = 2000
MAX_BULK = 200
MAX_SAVED_FILTERS = 50
#: @name: a username after "@" that does not follow a letter or digit (so e-mail addresses
#: are not mentions). Usernames are Django's: letters, digits and @.+-_ (not @ here).
MENTION = re.compile(r"(?<![\w.])@([\w.+-]{1,150})")


def mentioned_names(text: str) -> list[str]:
    """The @names of a comment, in order, each once (trailing full stops are not part of it)."""
    return list(dict.fromkeys(name.rstrip(".") for name in MENTION.findall(text)))


def add_comment(task: KeyTask, *, text: str, actor) -> TaskComment:
    """A comment on ``task``; every person it @mentions is notified (once per comment).

    A mention of someone who does not exist or cannot read the task's comments is refused
    with their names, so nobody believes a person was told who was not.
    """
    text = (text or "").strip()
    if not text:
        raise TaskActionError(_("Write a comment."))
    if len(text) > MAX_COMMENT:
        raise TaskActionError(
            _("A comment may have at most %(limit)d characters.") % {"limit": MAX_COMMENT}
        )
    if not selectors.can_discuss(actor, task):
        raise TaskActionError(_("Only supervisors and the task's units comment on it."))
    names = mentioned_names(text)
    people = {user.username: user for user in User.objects.filter(username__in=names)}
    unknown = [name for name in names if name not in people]
    if unknown:
        raise TaskActionError(
            _("There is no user named %(names)s.") % {"names": "、".join(f"@{n}" for n in unknown)}
        )
    outsiders = [
        name
        for name, person in people.items()
        if not person.is_active or not selectors.can_discuss(person, task)
    ]
    if outsiders:
        raise TaskActionError(
            _("%(names)s cannot read this task's comments; mention someone who can.")
            % {"names": "、".join(f"@{n}" for n in outsiders)}
        )
    with transaction.atomic():
        comment = TaskComment.objects.create(
            task=task, author=_person(actor), text=text, created_at=clock.now()
        )
        comment.mentions.set(people.values())
        record_change(
            actor=actor,
            action="tasks.comment",
            obj=task,
            after={"comment_id": comment.pk, "text": text, "mentions": sorted(people)},
        )
        author = _display_name(actor)
        for person in people.values():
            if person.pk == getattr(actor, "pk", None):
                continue
            notify(
                person,
                kind=TASK_MENTIONED,
                params={"task": short_title(task), "author": author, "text": text[:300]},
                task=task,
                dedupe_key=f"tasks.mention:{comment.pk}:{person.pk}",
                actor=actor,
            )
        notify_watchers(
            task, step="tasks.comment", actor=actor, skip={p.pk for p in people.values()}
        )
    return comment


def watch(task: KeyTask, *, actor) -> TaskWatcher:
    """Follow ``task``: notices of its comments and of every supervision step on it."""
    if not selectors.can_discuss(actor, task):
        raise TaskActionError(_("Only supervisors and the task's units follow it."))
    with transaction.atomic():
        watcher, created = TaskWatcher.objects.get_or_create(
            task=task, user=actor, defaults={"since": clock.now()}
        )
        if created:
            record_change(actor=actor, action="tasks.watch", obj=task, after={"watching": True})
    return watcher


def unwatch(task: KeyTask, *, actor) -> bool:
    with transaction.atomic():
        deleted, _rows = TaskWatcher.objects.filter(task=task, user=actor).delete()
        if deleted:
            record_change(actor=actor, action="tasks.unwatch", obj=task, after={"watching": False})
    return bool(deleted)


# -- 延期申请 -------------------------------------------------------------------------------


def request_extension(
    milestone: Milestone, unit: Unit, *, proposed_due_on: date, reason: str, actor
) -> ExtensionRequest:
    """延期申请: ``unit``, assigned the milestone's task, asks to move its due date to
    ``proposed_due_on`` because of ``reason``. The due date does not move until a supervisor
    approves; one request per milestone waits at a time; supervisors are notified."""
    reason = (reason or "").strip()
    if not reason:
        raise TaskActionError(_("Say why the milestone needs more time."))
    if len(reason) > MAX_REASON:
        raise TaskActionError(
            _("A reason may have at most %(limit)d characters.") % {"limit": MAX_REASON}
        )
    with transaction.atomic():
        task = supervision._locked(milestone.task)
        supervision._refuse_if_closed(task)
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if not Assignment.objects.filter(task=task, unit=unit).exists():
            raise TaskActionError(
                _("This task is not assigned to %(unit)s; only the assigned unit can act on it.")
                % {"unit": unit}
            )
        if milestone.kind == MilestoneKind.ONGOING:
            raise TaskActionError(_("An ongoing milestone has no due date to move."))
        if milestone.achieved_on is not None:
            raise TaskActionError(_("This milestone is achieved; it needs no more time."))
        current = milestone_due_on(milestone.kind, milestone.year, milestone.due_on)
        if proposed_due_on <= current:
            raise TaskActionError(
                _("The new due date must come after the present one (%(due)s).")
                % {"due": current.isoformat()}
            )
        if milestone.extension_requests.filter(state=ExtensionState.PENDING).exists():
            raise TaskActionError(
                _("An extension of this milestone already awaits the supervisor's decision.")
            )
        try:
            with transaction.atomic():
                request = ExtensionRequest.objects.create(
                    milestone=milestone,
                    unit=unit,
                    requested_by=_person(actor),
                    requested_at=clock.now(),
                    current_due_on=current,
                    proposed_due_on=proposed_due_on,
                    reason=reason,
                )
        except IntegrityError:
            raise TaskActionError(
                _("An extension of this milestone already awaits the supervisor's decision.")
            ) from None
        record_change(
            actor=actor,
            action="tasks.request_extension",
            obj=task,
            after={
                "extension_id": request.pk,
                "unit": unit.code,
                "unit_name": unit.name,
                "milestone": str(milestone),
                "due_on": current.isoformat(),
                "proposed_due_on": proposed_due_on.isoformat(),
                "reason": reason,
            },
        )
        params = {
            "task": short_title(task),
            "unit": unit.name,
            "milestone": str(milestone),
            "due": current.isoformat(),
            "proposed": proposed_due_on.isoformat(),
            "why": reason[:300],
        }
        for person in supervisors():
            notify(
                person,
                kind=TASK_EXTENSION_REQUESTED,
                params=params,
                task=task,
                dedupe_key=f"tasks.extension:{request.pk}:{person.pk}",
                actor=actor,
            )
        notify_watchers(task, step="tasks.request_extension", actor=actor)
    return request


def decide_extension(
    request: ExtensionRequest, *, approve: bool, note: str = "", actor
) -> ExtensionRequest:
    """The supervisor approves (the milestone's due date becomes the proposed one and the
    light is judged anew) or refuses (a note says why) a waiting 延期申请; the requesting
    unit is notified. A decided request is never decided again."""
    note = (note or "").strip()
    if not approve and not note:
        raise TaskActionError(_("Say why the extension is refused."))
    if len(note) > MAX_REASON:
        raise TaskActionError(
            _("A note may have at most %(limit)d characters.") % {"limit": MAX_REASON}
        )
    with transaction.atomic():
        task = supervision._locked(request.milestone.task)
        request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        if request.state != ExtensionState.PENDING:
            raise TaskActionError(_("This extension request was already decided."))
        milestone = Milestone.objects.select_for_update().get(pk=request.milestone_id)
        if approve:
            supervision._refuse_if_closed(task)
            milestone.due_on = request.proposed_due_on
            if milestone.year is not None:
                milestone.year = request.proposed_due_on.year
            milestone.save(update_fields=["due_on", "year"])
            # The unit's due date followed the milestone it was set from.
            Assignment.objects.filter(
                task=task, unit=request.unit, due_on=request.current_due_on
            ).update(due_on=request.proposed_due_on)
        request.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
        request.decided_by = _person(actor)
        request.decided_at = clock.now()
        request.decision_note = note
        request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        refresh_lights([task.pk])
        record_change(
            actor=actor,
            action="tasks.approve_extension" if approve else "tasks.refuse_extension",
            obj=task,
            before={"due_on": request.current_due_on.isoformat()},
            after={
                "extension_id": request.pk,
                "unit": request.unit.code,
                "unit_name": request.unit.name,
                "milestone": str(milestone),
                "due_on": (
                    request.proposed_due_on if approve else request.current_due_on
                ).isoformat(),
                "note": note,
            },
        )
        notify_unit(
            request.unit,
            kind=TASK_EXTENSION_DECIDED,
            params={
                "task": short_title(task),
                "approved": approve,
                "milestone": str(milestone),
                "due": (request.proposed_due_on if approve else request.current_due_on).isoformat(),
                "note": note[:300],
            },
            task=task,
            dedupe_key=f"tasks.extension_decided:{request.pk}",
            actor=actor,
        )
        notify_watchers(
            task,
            step="tasks.approve_extension" if approve else "tasks.refuse_extension",
            actor=actor,
        )
    return request


# -- bulk assign ----------------------------------------------------------------------------


def bulk_assign(
    tasks: Iterable[KeyTask], unit: Unit, *, actor, due_on: date | None = None, note: str = ""
) -> list:
    """交办 of many tasks to one unit at once: all or nothing. A task that cannot be assigned
    (closed, split, already the unit's) refuses the whole batch, and the message names each
    such task with its reason, so the supervisor corrects the selection and sends it again."""
    tasks = list(dict.fromkeys(tasks))
    if not tasks:
        raise TaskActionError(_("Choose at least one task."))
    if len(tasks) > MAX_BULK:
        raise TaskActionError(_("Assign at most %(limit)d tasks at once.") % {"limit": MAX_BULK})
    assignments, problems = [], []
    with transaction.atomic():
        for task in tasks:
            try:
                with transaction.atomic():
                    assignments.append(
                        supervision.assign(task, unit, actor=actor, due_on=due_on, note=note)
                    )
            except TaskActionError as error:
                problems.append(
                    _("Task %(number)s: %(error)s") % {"number": task.number, "error": error}
                )
        if problems:
            transaction.set_rollback(True)
            raise TaskActionError(
                _("Nothing was assigned. %(problems)s") % {"problems": " ".join(problems)}
            )
    return assignments


# -- saved filters --------------------------------------------------------------------------


def save_filter(*, name: str, query: str, actor) -> SavedFilter:
    """A named ledger filter of ``actor``: the query string the ledger page shows, checked by
    the ledger's FilterSet (an invalid filter is refused, as the page would refuse it); a
    second filter of the same name replaces the first."""
    name = (name or "").strip()
    if not name:
        raise TaskActionError(_("Name the filter."))
    if len(name) > SavedFilter._meta.get_field("name").max_length:
        raise TaskActionError(_("A filter's name may have at most 100 characters."))
    data = QueryDict(query or "", mutable=True)
    for key in ("page", "csrfmiddlewaretoken", "name"):
        data.pop(key, None)
    known = set(LedgerFilterSet.base_filters)
    data = QueryDict(
        "&".join(
            f"{key}={value}"
            for key, value in [
                (k, v) for k in data for v in data.getlist(k) if k in known and v != ""
            ]
        ),
        mutable=True,
    )
    filterset = LedgerFilterSet(data, queryset=KeyTask.objects.none())
    if not filterset.is_valid():
        raise TaskActionError(filterset.error_text())
    query = data.urlencode()
    if len(query) > SavedFilter._meta.get_field("query").max_length:
        raise TaskActionError(_("This filter is too long to save."))
    with transaction.atomic():
        existing = SavedFilter.objects.filter(user=actor, name=name).first()
        if existing is None and SavedFilter.objects.filter(user=actor).count() >= MAX_SAVED_FILTERS:
            raise TaskActionError(
                _("You may keep at most %(limit)d filters; delete one first.")
                % {"limit": MAX_SAVED_FILTERS}
            )
        if existing is None:
            saved = SavedFilter.objects.create(
                user=actor, name=name, query=query, created_at=clock.now()
            )
        else:
            saved = existing
            saved.query = query
            saved.save(update_fields=["query"])
        record_change(
            actor=actor,
            action="tasks.save_filter",
            obj=saved,
            after={"name": name, "query": query},
        )
    return saved


def delete_filter(saved: SavedFilter, *, actor) -> None:
    if saved.user_id != getattr(actor, "pk", None):
        raise TaskActionError(_("This filter is not yours."))
    with transaction.atomic():
        record_change(
            actor=actor,
            action="tasks.delete_filter",
            obj=saved,
            before={"name": saved.name, "query": saved.query},
        )
        saved.delete()


def _person(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _display_name(actor) -> str:
    if not getattr(actor, "is_authenticated", False):
        return ""
    return actor.get_full_name() or actor.username
