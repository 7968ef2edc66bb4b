"""The notifications the supervision cycle and the reminders send to a unit's staff."""

from __future__ import annotations

from collections import defaultdict

from shuzheng import clock
from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.notifications.services import notify as notify_person
from shuzheng.tasks.models import KeyTask


def unit_staff(unit_ids: set[int]) -> dict[int, list]:
    """The active staff and heads of these units, by unit id."""
    people = defaultdict(list)
    for user in User.objects.filter(
        unit_id__in=unit_ids, is_active=True, role__in=[Role.UNIT_STAFF, Role.UNIT_HEAD]
    ).order_by("pk"):
        people[user.unit_id].append(user)
    return people


#: The kinds of the ledger's notifications, worded by ``tasks.rendering`` (registered by
#: ``tasks.hooks``) from the parameters the services store.
TASK_ASSIGNED = "task_assigned"
TASK_REJECTED = "task_rejected"
TASK_REMINDER = "task_reminder"
TASK_RED_LIGHT = "task_red_light"
TASK_MENTIONED = "task_mentioned"
TASK_WATCHED_STEP = "task_watched_step"
TASK_EXTENSION_REQUESTED = "task_extension_requested"
TASK_EXTENSION_DECIDED = "task_extension_decided"


def supervisors() -> list:
    """The active supervisors: they decide 延期申请."""
    return list(User.objects.filter(is_active=True, role=Role.SUPERVISOR).order_by("pk"))


def notify_watchers(task: KeyTask, *, step: str, actor, skip=()) -> int:
    """Tell the task's watchers (not the actor, nor ``skip``) that ``step`` (an audit action
    code of the ledger) happened; a watcher who can no longer read the task's comments is
    left out."""
    from shuzheng.tasks.models import TaskWatcher
    from shuzheng.tasks.selectors import can_discuss

    skipped = set(skip) | {getattr(actor, "pk", None)}
    watchers = TaskWatcher.objects.filter(task=task, user__is_active=True).select_related("user")
    by = (
        (actor.get_full_name() or actor.username)
        if getattr(actor, "is_authenticated", False)
        else ""
    )
    stamp = clock.now().isoformat()
    sent = 0
    for watcher in watchers:
        if watcher.user_id in skipped or not can_discuss(watcher.user, task):
            continue
        sent += notify(
            watcher.user,
            kind=TASK_WATCHED_STEP,
            params={"task": short_title(task), "step": step, "by": by},
            task=task,
            dedupe_key=f"tasks.watch:{task.pk}:{step}:{stamp}:{watcher.user_id}",
            actor=actor,
        )
    return sent


def notify_unit(unit, *, kind, params, task, dedupe_key, actor=None) -> int:
    """Notify every staff member and head of ``unit``; the number of messages queued."""
    sent = 0
    for person in unit_staff({unit.pk}).get(unit.pk, []):
        sent += notify(
            person, kind=kind, params=params, task=task, dedupe_key=dedupe_key, actor=actor
        )
    return sent


def notify(person, *, kind, params, task, dedupe_key, actor=None) -> int:
    """One message about ``task`` to ``person``; 1 if queued, 0 if its dedupe key was sent."""
    notification = notify_person(
        person,
        kind=kind,
        params=params,
        link=task.get_absolute_url(),
        dedupe_key=dedupe_key,
        actor=actor,
    )
    return 0 if notification is None else 1


def short_title(task: KeyTask) -> str:
    return str(task)[:120]
