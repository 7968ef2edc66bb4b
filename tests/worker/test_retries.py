"""Retries: a failing job goes back into the queue with a growing delay, until its attempts
run out; then it stays failed, on the admin page of failed jobs (in Chinese)."""

import datetime as dt

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from shuzheng.worker.models import FailedJob
from shuzheng.worker.retries import retry_delay
from tests.worker import jobs

pytestmark = pytest.mark.django_db


def run_once(result_id):
    """What the worker does with one queue row: claim it, run it, record the outcome."""
    row = DBTaskResult.objects.get(pk=result_id)
    row.claim(f"test-worker-{len(row.worker_ids) + 1}")
    Worker(
        queue_names=["*"],
        excluded_queue_names=[],
        interval=1,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
    ).run_task(row)
    return DBTaskResult.objects.get(pk=result_id)


def test_the_delay_doubles_with_each_attempt(settings):
    settings.WORKER_RETRY_DELAY = 60
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]


def test_a_failed_job_is_retried_later_and_fails_for_good_after_its_last_attempt(settings):
    settings.WORKER_MAX_ATTEMPTS = 3
    settings.WORKER_RETRY_DELAY = 60
    result = jobs.break_down.enqueue()

    before = timezone.now()
    row = run_once(result.id)
    assert row.status == TaskResultStatus.READY  # back in the queue …
    assert row.run_after >= before + dt.timedelta(seconds=60)  # … but not before its delay
    assert row.exception_class_path == "tests.worker.jobs.JobBroke"  # the error is kept
    assert not DBTaskResult.objects.ready().filter(pk=row.pk).exists()

    row = run_once(result.id)
    assert row.status == TaskResultStatus.READY
    assert row.run_after >= before + dt.timedelta(seconds=120)

    row = run_once(result.id)
    assert row.status == TaskResultStatus.FAILED
    assert len(row.worker_ids) == 3
    assert "the job broke down" in row.traceback


def test_a_successful_job_is_not_a_failure():
    result = jobs.succeed.enqueue()
    assert run_once(result.id).status == TaskResultStatus.SUCCESSFUL
    assert not FailedJob.objects.exists()


@pytest.mark.chinese_ui
def test_administrators_see_failed_jobs_in_chinese(client, matrix_world, settings):
    settings.WORKER_MAX_ATTEMPTS = 1
    failed = run_once(jobs.break_down.enqueue().id)
    run_once(jobs.succeed.enqueue().id)
    client.force_login(matrix_world.users["administrator"])

    listing = client.get("/admin/worker/failedjob/")
    page = listing.content.decode()
    assert listing.status_code == 200
    assert "失败的后台任务" in page and "全部尝试均已失败" in page
    assert "tests.worker.jobs.JobBroke" in page
    assert page.count("tests.worker.jobs.break_down") == 1  # the success is not listed
    assert "Finished at" not in page and "Task Result" not in page

    detail = client.get(f"/admin/worker/failedjob/{failed.pk}/change/").content.decode()
    assert "the job broke down" in detail and "回溯" in detail and "排队时间" in detail
    assert "FailedJob object" not in detail and "Enqueued at" not in detail


def test_only_administrators_see_failed_jobs(client, matrix_world):
    client.force_login(matrix_world.users["supervisor"])
    assert client.get("/admin/worker/failedjob/").status_code == 302
