"""催办 (issue 5, item 2): reminders before and after due dates, red-light notices once per
milestone, idempotent runs, and the ``shuzheng remind`` command."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from shuzheng.notifications.models import Notification
from shuzheng.tasks.services import supervision
from shuzheng.tasks.services.reminders import send_due_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(task37, yinchuan, supervisor, staff, head, at):
    at(dt.date(2024, 3, 1))
    supervision.assign(task37, yinchuan, actor=supervisor)
    supervision.undertake(task37, yinchuan, actor=staff)
    return task37


def reminders_of(user):
    return list(
        Notification.objects.filter(recipient=user, kind="task_reminder")
        .order_by("id")
        .values_list("dedupe_key", flat=True)
    )


def test_a_week_before_the_due_date_each_member_of_the_unit_is_reminded_once(assigned, staff, head):
    milestone = assigned.milestones.get()
    assert send_due_reminders(dt.date(2024, 12, 23)).reminders == 0
    summary = send_due_reminders(dt.date(2024, 12, 24))
    key = f"tasks.remind:{assigned.pk}:{milestone.pk}:2024-12-24"
    assert reminders_of(staff) == [key] and reminders_of(head) == [key]
    assert summary.reminders == 2
    assert send_due_reminders(dt.date(2024, 12, 24)).reminders == 0  # same day: nothing twice
    notice = Notification.objects.get(recipient=staff, kind="task_reminder")
    assert "2024-12-31" in notice.title and notice.link == f"/tasks/{assigned.pk}/"


def test_after_the_due_date_the_unit_is_reminded_and_told_of_the_red_light_once(assigned, staff):
    send_due_reminders(dt.date(2025, 1, 1))
    assert len(reminders_of(staff)) == 1  # 催办 one day after
    red = Notification.objects.filter(recipient=staff, kind="task_red_light")
    assert red.count() == 1 and "overdue by 1 days" in red.get().body
    send_due_reminders(dt.date(2025, 1, 8))
    assert len(reminders_of(staff)) == 2  # seven days after
    assert red.count() == 1  # the red light is told once per milestone


def test_a_job_that_missed_days_sends_only_the_newest_reminder(assigned, staff):
    send_due_reminders(dt.date(2025, 2, 20))  # reminders fell on 01-01, 01-07, 01-21, 02-04, 02-18
    assert reminders_of(staff) == [
        f"tasks.remind:{assigned.pk}:{assigned.milestones.get().pk}:2025-02-18"
    ]


def test_closed_claimed_and_unassigned_tasks_are_not_reminded(assigned, yinchuan, staff):
    supervision.claim_completion(assigned, yinchuan, text="完成", actor=staff)
    assert send_due_reminders(dt.date(2025, 1, 1)).tasks == 0
    assert not Notification.objects.filter(kind__in=["task_reminder", "task_red_light"]).exists()


def test_ongoing_work_is_reminded_of_its_next_report(sample, yinchuan, supervisor, staff, at):
    from tests.tasks.conftest import table_task

    at(dt.date(2023, 7, 1))
    task = table_task(121)  # 长期坚持
    supervision.assign(
        task, task.responsibilities.filter(unit__isnull=False).first().unit, actor=supervisor
    )
    assigned_unit = task.assignments.get().unit
    from tests.tasks.conftest import make_user

    person = make_user("ongoing_staff", "unit_staff", assigned_unit)
    send_due_reminders(dt.date(2023, 7, 24))  # the July report is due on 07-31
    notice = Notification.objects.get(recipient=person, kind="task_reminder")
    assert "2023-07-31" in notice.title


def test_the_remind_command_is_idempotent_and_checks_its_date(assigned, staff, capsys):
    call_command("remind", "--date", "2025-01-01")
    assert (
        "1 assigned open tasks checked; 2 reminders and 2 red-light notices"
        in capsys.readouterr().out
    )
    call_command("remind", "--date", "2025-01-01")
    assert "0 reminders and 0 red-light notices" in capsys.readouterr().out
    with pytest.raises(CommandError, match="not a date"):
        call_command("remind", "--date", "soon")
