"""Acceptance (issue 8, item 5): a reminder due today is sent by a running worker, without
anyone running a command.

A real ``shuzheng worker`` process is started on the test database — a file copy of the
in-memory SQLite test database, or the PostgreSQL test database itself — with the platform
clock set by ``SHUZHENG_CLOCK``; the test waits (seconds) until the reminder is in the unit's
inbox, then stops the worker with SIGTERM and expects a clean exit.
"""

import datetime as dt
import signal

import pytest

from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.notifications.models import Notification
from shuzheng.orgs.models import Region, Unit
from tests.processes import DatabaseForProcesses, platform_env, start_worker, wait_for
from tests.tasks.factories import assign, make_task

pytestmark = pytest.mark.django_db(transaction=True)

DUE = dt.date(2024, 12, 31)
#: The clock's day: the reminder one day before the due date falls on it
#: (SHUZHENG_LEDGER_REMIND_BEFORE_DAYS is 7 and 1).
TODAY = dt.date(2024, 12, 30)
#: A ceiling for a loaded machine; on an idle one the reminder is there in 2-3 s.
WAIT_SECONDS = 45


@pytest.fixture
def assigned_task():
    region = Region.objects.create(code="640100", name="银川市", level="city")
    unit = Unit.objects.create(
        code="yc-gov", name="银川市人民政府", kind="government", region=region
    )
    task = make_task(37, unit, due=DUE)
    assign(task, unit)
    staff = User.objects.create_user("yc_staff", role=Role.UNIT_STAFF, unit=unit)
    return task, staff


def test_a_running_worker_sends_the_reminder_due_today(assigned_task, tmp_path):
    task, staff = assigned_task
    milestone = task.milestones.get()
    key = f"tasks.remind:{task.pk}:{milestone.pk}:{TODAY.isoformat()}"
    assert not Notification.objects.exists()
    database = DatabaseForProcesses(tmp_path)

    worker = start_worker(platform_env(database, tmp_path, SHUZHENG_CLOCK=TODAY.isoformat()))
    try:
        wait_for(
            lambda: database.count(Notification._meta.db_table, f"dedupe_key = '{key}'") == 1,
            worker,
            "no reminder",
        )
    finally:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    output = worker.communicate(timeout=15)[0]
    assert worker.returncode == 0, output  # SIGTERM stops it cleanly

    database.read_back()
    reminder = Notification.objects.get(dedupe_key=key)
    assert reminder.recipient == staff and reminder.kind == "task_reminder"
    assert DUE.isoformat() in reminder.title
