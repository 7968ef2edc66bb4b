"""Leases (issue 8): a job whose worker died while running it goes back into the queue, or
fails after its last attempt; a job whose worker is alive is left alone, however long it runs."""

import datetime as dt

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from shuzheng.worker import leases
from shuzheng.worker.models import FailedJob, WorkerHeartbeat
from tests.worker import jobs
from tests.worker.test_retries import run_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def lease(settings):
    settings.WORKER_LEASE = 60
    settings.WORKER_MAX_ATTEMPTS = 3
    return dt.timedelta(seconds=60)


def running_job(worker_ids: list[str], started_ago: dt.timedelta) -> DBTaskResult:
    row = DBTaskResult.objects.get(pk=jobs.succeed.enqueue().id)
    row.status = TaskResultStatus.RUNNING
    row.worker_ids = worker_ids
    row.started_at = timezone.now() - started_ago
    row.save()
    return row


def test_a_job_whose_worker_is_gone_runs_again(lease):
    row = running_job(["dead-worker"], started_ago=2 * lease)
    assert leases.give_back_abandoned_jobs() == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY and row.run_after <= timezone.now()
    finished = run_once(row.pk)
    assert finished.status == TaskResultStatus.SUCCESSFUL
    assert len(finished.worker_ids) == 2  # the dead worker's attempt counts


def test_a_job_whose_worker_beats_is_left_alone_however_long_it_runs(lease):
    leases.beat("busy-worker")
    row = running_job(["busy-worker"], started_ago=10 * lease)
    assert leases.give_back_abandoned_jobs() == 0
    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING


def test_a_job_is_not_taken_from_its_worker_within_the_lease(lease):
    row = running_job(["quiet-worker"], started_ago=lease / 2)
    assert leases.give_back_abandoned_jobs() == 0
    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING


def test_a_silent_heartbeat_counts_as_gone_and_is_removed(lease):
    leases.beat("old-worker", now=timezone.now() - 2 * lease)
    row = running_job(["old-worker"], started_ago=3 * lease)
    assert leases.give_back_abandoned_jobs() == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY
    assert not WorkerHeartbeat.objects.exists()


def test_the_last_attempt_lost_with_its_worker_fails_for_the_admin_page(lease):
    row = running_job(["w1", "w2", "w3"], started_ago=2 * lease)
    assert leases.give_back_abandoned_jobs() == 1
    failed = FailedJob.objects.get(pk=row.pk)
    assert failed.status == TaskResultStatus.FAILED
    assert failed.exception_class_path == leases.WORKER_LOST
    assert "attempt 3 of 3" in failed.traceback and failed.finished_at is not None
    assert leases.give_back_abandoned_jobs() == 0  # given back once
