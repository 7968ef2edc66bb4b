"""催办: reminders before and after due dates, and the red-light notices (issue 5, item 2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from shuzheng.audit.services import record_change
from shuzheng.tasks.choices import Closure
from shuzheng.tasks.deadlines import ReminderStage, reminders_between
from shuzheng.tasks.models import Assignment, KeyTask
from shuzheng.tasks.policy import reminder_policy
from shuzheng.tasks.selectors import LedgerFilters, ledger_rows
from shuzheng.tasks.services.notices import notify, short_title, unit_staff
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
    stage = reminder.stage
    if stage == ReminderStage.BEFORE:
        title = _("Reminder: %(task)s is due on %(due)s")
    elif stage == ReminderStage.ON:
        title = _("Due today: %(task)s (%(due)s)")
    else:
        title = _("Overdue (催办): %(task)s was due on %(due)s")
    values = {"task": short_title(task), "due": due_on.isoformat()}
    sent = 0
    for person in people:
        sent += notify(
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
        sent += notify(
            person,
            kind="task_red_light",
            title=_("Red light: %(task)s") % {"task": short_title(task)},
            body=f"{milestone.text or milestone.get_kind_display()}: {verdict.describe(_)}",
            task=task,
            reason=_("A milestone of a task assigned to your unit is overdue."),
            dedupe_key=f"tasks.red:{task.pk}:{milestone.pk}",
        )
    return sent
