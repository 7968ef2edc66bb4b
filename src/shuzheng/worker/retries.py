"""Retries: a job that raises goes back into the queue, later, until its attempts run out.

Django's Tasks framework leaves retrying to the application. The worker records a failure
(``DBTaskResult.set_failed``, with its traceback) and then sends ``task_finished``; this
handler puts the same queue row back to READY with a delay that doubles on each attempt, so
the row keeps the last error for the admin page while the job waits. After
``WORKER_MAX_ATTEMPTS`` attempts it stays FAILED, listed on the admin page of failed jobs.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.tasks import TaskResultStatus
from django.tasks.signals import task_finished
from django.utils import timezone

logger = logging.getLogger(__name__)


def connect() -> None:
    task_finished.connect(retry_failed_job, dispatch_uid="shuzheng.worker.retry")


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait before the next attempt, after ``attempts`` attempts: the base delay doubled
    for every attempt after the first (1, 2, 4 … times WORKER_RETRY_DELAY seconds)."""
    return dt.timedelta(seconds=settings.WORKER_RETRY_DELAY * 2 ** (attempts - 1))


def retry_failed_job(sender, task_result, **kwargs) -> None:
    db_result = getattr(task_result, "db_result", None)
    if db_result is None or task_result.status != TaskResultStatus.FAILED:
        return
    attempts = len(db_result.worker_ids)
    if attempts >= settings.WORKER_MAX_ATTEMPTS:
        logger.error("job %s failed %d times; it is not retried", db_result.task_path, attempts)
        return
    db_result.status = TaskResultStatus.READY
    db_result.run_after = timezone.now() + retry_delay(attempts)
    db_result.save(update_fields=["status", "run_after"])
    logger.warning(
        "job %s failed (attempt %d of %d); retrying at %s",
        db_result.task_path,
        attempts,
        settings.WORKER_MAX_ATTEMPTS,
        db_result.run_after.isoformat(),
    )
