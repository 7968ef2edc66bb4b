"""The worker's scheduler: each periodic job once per interval, kept across restarts."""

import datetime as dt

import pytest
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from shuzheng.worker.models import ScheduleEntry
from shuzheng.worker.periodic import PERIODIC_JOBS, label_of, periodic
from shuzheng.worker.scheduler import enqueue_due_jobs

pytestmark = pytest.mark.django_db

START = dt.datetime(2024, 12, 31, 1, 0, tzinfo=dt.UTC)
DECLARED = {
    "shuzheng.catalog.tasks.queue_scheduled_quality_runs",
    "shuzheng.tasks.tasks.send_reminders",
    "shuzheng.hotline.tasks.supervise_overdue_requests",
    "shuzheng.tasks.tasks.refresh_lights",
    "shuzheng.notifications.tasks.deliver_notifications",
    "shuzheng.dashboard.tasks.refresh_dashboard",
    "shuzheng.search.tasks.apply_search_outbox",
    "shuzheng.worker.tasks.chain_audit_events",
    "shuzheng.worker.tasks.seal_audit_chain",
    "shuzheng.exchange.log_tasks.chain_message_log",
    "shuzheng.exchange.log_tasks.seal_message_log",
    "shuzheng.exchange.request_tasks.remind_exchange_answers_due",
    "shuzheng.exchange.feed_tasks.deliver_exchange_feed",
    "shuzheng.exchange.feed_tasks.prune_exchange_feed",
}


def queued() -> list[str]:
    return sorted(DBTaskResult.objects.values_list("task_path", flat=True))


def run_everything_queued():
    DBTaskResult.objects.update(status=TaskResultStatus.SUCCESSFUL)


def test_every_app_declares_its_periodic_jobs_in_its_tasks_module():
    assert set(PERIODIC_JOBS) == DECLARED
    assert label_of("shuzheng.tasks.tasks.send_reminders") == "Send due reminders"
    assert label_of("somewhere.else") == "somewhere.else"


def test_a_job_never_run_is_enqueued_at_once_and_then_once_per_interval():
    assert sorted(enqueue_due_jobs(START)) == sorted(DECLARED)
    assert queued() == sorted(DECLARED)
    run_everything_queued()
    shortest = min(job.every for job in PERIODIC_JOBS.values())
    assert enqueue_due_jobs(START + shortest - dt.timedelta(seconds=1)) == []
    assert sorted(enqueue_due_jobs(START + shortest)) == sorted(
        name for name, job in PERIODIC_JOBS.items() if job.every == shortest
    )
    run_everything_queued()
    hourly = {name for name, job in PERIODIC_JOBS.items() if job.every == dt.timedelta(hours=1)}
    assert set(enqueue_due_jobs(START + dt.timedelta(hours=1))) == DECLARED
    assert DBTaskResult.objects.filter(task_path__in=hourly).count() == 2 * len(hourly)


def test_a_restarted_worker_keeps_the_intervals_of_the_one_before():
    enqueue_due_jobs(START)
    run_everything_queued()
    # A new process has nothing in memory: what it knows is the schedule table.
    assert ScheduleEntry.objects.count() == len(DECLARED)
    shortest = min(job.every for job in PERIODIC_JOBS.values())
    assert enqueue_due_jobs(START + shortest - dt.timedelta(seconds=1)) == []


def test_a_job_still_waiting_in_the_queue_is_not_queued_again_behind_itself():
    enqueue_due_jobs(START)  # nothing runs them: the worker is busy or stopped
    assert enqueue_due_jobs(START + dt.timedelta(hours=2)) == []
    assert len(queued()) == len(DECLARED)


def test_a_periodic_job_needs_a_positive_interval():
    with pytest.raises(ValueError, match="positive interval"):
        periodic(every=dt.timedelta(0), label="never")
