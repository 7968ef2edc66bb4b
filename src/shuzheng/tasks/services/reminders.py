"""催办: reminders before and after due dates, and the red-light notices (issue 5, item 2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from shuzheng.audit.services import record_change
from shuzheng.tasks.choices import Closure
from shuzheng.tasks.deadlines import reminders_between
from shuzheng.tasks.models import Assignment, KeyTask
from shuzheng.tasks.policy import reminder_policy
from shuzheng.tasks.selectors import LedgerFilters, ledger_rows
from shuzheng.tasks.services.notices import (
    TASK_RED_LIGHT,
    TASK_REMINDER,
    notify,
    short_title,
    unit_staff,
)
from shuzheng.tasks.status import Light


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
    schedule = reminder_policy()
    summary = ReminderSummary()
    assigned = KeyTask.objects.filter(
        pk__in=Assignment.objects.values("task_id"), closure=Closure.OPEN
    )
    rows = ledger_rows(LedgerFilters(include_subtasks=True), today, tasks=assigned)
    recipients = unit_staff({a.unit_id for row in rows for a in row.assignments})
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
    params = {
        "stage": reminder.stage.value,
        "task": short_title(task),
        "due": due_on.isoformat(),
        **_milestone_params(milestone),
    }
    sent = 0
    for person in people:
        sent += notify(
            person,
            kind=TASK_REMINDER,
            params=params,
            task=task,
            dedupe_key=f"tasks.remind:{task.pk}:{milestone.pk}:{reminder.on.isoformat()}",
        )
    return sent


def _warn_red(task, milestone, verdict, people) -> int:
    params = {
        "task": short_title(task),
        **_milestone_params(milestone),
        "light": verdict.light.value,
        "reason": verdict.reason.value,
        "on": verdict.on.isoformat() if verdict.on else None,
        "days": verdict.days,
    }
    sent = 0
    for person in people:
        sent += notify(
            person,
            kind=TASK_RED_LIGHT,
            params=params,
            task=task,
            dedupe_key=f"tasks.red:{task.pk}:{milestone.pk}",
        )
    return sent


def _milestone_params(milestone) -> dict:
    """The milestone as written, or (when it has no text) its kind's code, worded at display."""
    return {"milestone": milestone.text, "milestone_kind": milestone.kind}
