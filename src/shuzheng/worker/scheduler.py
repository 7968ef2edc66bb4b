"""The worker's scheduler: enqueue each periodic job once per its interval.

The interval is kept in the database (``ScheduleEntry``), so restarting the worker does not
run a job early, and several workers do not enqueue the same job twice: each run is claimed
by one conditional UPDATE, in the same transaction as the enqueue (the queue is a table of the
same database). A job never claimed before runs at once — a fresh install sends today's
reminders as soon as the worker starts. The jobs themselves are idempotent as well (the
services dedupe), so a job that runs twice sends nothing twice.

Intervals are wall-clock time; what the jobs judge ("today") is the platform clock.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.db import close_old_connections, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from shuzheng.worker.models import ScheduleEntry
from shuzheng.worker.periodic import PERIODIC_JOBS, PeriodicJob

logger = logging.getLogger(__name__)


def enqueue_due_jobs(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every periodic job whose interval has passed; the names of those enqueued."""
    now = now or timezone.now()
    enqueued = []
    for job in PERIODIC_JOBS.values():
        with transaction.atomic():
            if _is_waiting_in_queue(job) or not claim_run(job, now):
                continue
            job.task.enqueue()
        enqueued.append(job.name)
    return enqueued


def claim_run(job: PeriodicJob, now: dt.datetime) -> bool:
    """Take this interval's run of ``job``: True for exactly one caller per interval."""
    entry, created = ScheduleEntry.objects.get_or_create(
        name=job.name, defaults={"last_enqueued_at": now}
    )
    if created:
        return True
    claimed = ScheduleEntry.objects.filter(
        pk=entry.pk, last_enqueued_at__lte=now - job.every
    ).update(last_enqueued_at=now)
    return claimed == 1


def _is_waiting_in_queue(job: PeriodicJob) -> bool:
    """A run still queued (a busy or stopped worker) is not queued again behind itself."""
    return DBTaskResult.objects.filter(task_path=job.name, status=TaskResultStatus.READY).exists()


class Scheduler(threading.Thread):
    """Runs :func:`enqueue_due_jobs` every ``tick`` seconds beside the worker's loop."""

    def __init__(self, tick: float) -> None:
        super().__init__(name="shuzheng-scheduler", daemon=True)
        self.tick = tick
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                close_old_connections()
                for name in enqueue_due_jobs():
                    logger.info("scheduled %s", name)
            except Exception:
                # A database that is away for a moment must not stop the schedule for good.
                logger.exception("the scheduler could not enqueue the periodic jobs")
            self.stopping.wait(self.tick)

    def stop(self) -> None:
        self.stopping.set()
