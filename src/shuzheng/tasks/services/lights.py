"""The stored status lights (docs/ledger.md, "Stored lights"): the one store of a task's
light, written by every service that changes a task and by the scheduled job."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from shuzheng import clock
from shuzheng.audit.services import snapshot
from shuzheng.tasks.changes import ledger_changed
from shuzheng.tasks.light_changes import next_light_change
from shuzheng.tasks.models import KeyTask
from shuzheng.tasks.policy import light_policy
from shuzheng.tasks.selectors import build_rows, stale_light_tasks
from shuzheng.tasks.status import LightPolicy

#: Derived from the facts by tasks.status; kept out of the audit trail, which records changes.
LIGHT_FIELDS = (
    "light",
    "light_reason",
    "light_on",
    "light_days",
    "light_computed_on",
    "light_changes_on",
    "next_due_on",
)
#: Families judged per batch: one batch is five reads and a few grouped updates.
REFRESH_BATCH = 2000


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
    parent rows are locked first (as ``_locked`` does), so concurrent steps queue up. Each
    batch announces the change to the ledger's read models (``tasks.changes``), since every
    write of a task passes through here.
    """
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
            ledger_changed()
        done.families += len(rows)
        done.tasks += len(judged)
    return done


def refresh_stale_lights(today: date | None = None, *, everything: bool = False) -> LightRefresh:
    """``shuzheng refreshlights``: recompute the lights that may have changed by ``today`` —
    those never computed, computed for a later day, or whose change day has come (or every
    light with ``everything``, e.g. after changing SHUZHENG_LEDGER_* windows). Idempotent:
    a second run on the same day finds nothing to do."""
    today = today or clock.today()
    return refresh_lights(KeyTask.objects.all() if everything else stale_light_tasks(today), today)


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
    task.light_on = row.status.on
    task.light_days = row.status.days
    task.light_computed_on = today
    task.light_changes_on = min((day for day in changes if day is not None), default=None)
    task.next_due_on = row.next_due_on
    tasks.append(task)
    return tasks


#: The light fields a batch shares in groups (a light changes on a month's or a year's end).
GROUPED_FIELDS = tuple(name for name in LIGHT_FIELDS if name != "light_computed_on")


def _store_lights(tasks: list[KeyTask], today: date) -> None:
    """One UPDATE per distinct (light, reason and its date and days, change day, next due
    date) of the batch.

    Many tasks share these values (a light changes on a month's or a year's end), so this
    writes a batch of 2,000 in a few dozen statements; ``bulk_update`` builds one CASE branch
    per task and field, which measured 2 ms a task (docs/benchmarks.md, "Ledger")."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for task in tasks:
        key = tuple(getattr(task, name) for name in GROUPED_FIELDS)
        groups[key].append(task.pk)
    for values, ids in groups.items():
        KeyTask.objects.filter(pk__in=ids).update(
            light_computed_on=today, **dict(zip(GROUPED_FIELDS, values, strict=True))
        )


def _own_light_changes_on(row, today: date, policy: LightPolicy) -> date | None:
    """A task never assigned nor registered starts its reporting duties "today"
    (selectors.task_facts), so its light is judged again every day."""
    if not row.assignments and row.task.registered_on is None:
        return today + timedelta(days=1)
    return next_light_change(row.facts, today, policy)


def task_snapshot(task: KeyTask) -> dict:
    """The task for the audit trail: its facts, not the lights derived from them."""
    return snapshot(task, exclude=LIGHT_FIELDS)
