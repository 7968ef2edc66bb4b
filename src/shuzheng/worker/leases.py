"""Leases: a job whose worker died while running it goes back into the queue.

django-tasks-db marks a claimed job RUNNING and has no lease: a worker killed by SIGKILL, the
OOM killer or a power cut leaves its job RUNNING forever, and a periodic job that is RUNNING
is never run again. Each ``shuzheng worker`` therefore writes a heartbeat
(``WorkerHeartbeat``) every few seconds from a thread of its own, beside the job it runs; a
job RUNNING for longer than ``WORKER_LEASE`` seconds whose worker has not been seen for as
long is abandoned. On start and at every heartbeat, each worker gives abandoned jobs back:
READY to run again at once, or FAILED (listed on the admin page of failed jobs) when the
dead worker's attempt was the last of ``WORKER_MAX_ATTEMPTS`` — the attempt counts, as a
job that kills its worker every time must end up failed, not loop.

Each give-back is one conditional UPDATE (still RUNNING, still the same worker list), so two
workers reaping at once act once.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import close_old_connections
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from shuzheng.worker.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

#: Recorded as the error of a job failed because its worker died (the admin page shows it).
WORKER_LOST = "shuzheng.worker.leases.WorkerLost"


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.WORKER_LEASE)


def beat(worker_id: str, now: dt.datetime | None = None) -> None:
    """Record that ``worker_id`` (this process) is alive."""
    now = now or timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            host=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=now,
            seen_at=now,
        )


def forget(worker_id: str) -> None:
    """A worker that stops cleanly removes its heartbeat (it holds no job any more)."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def abandoned_jobs(now: dt.datetime) -> list[DBTaskResult]:
    """The jobs RUNNING for longer than the lease whose worker has not been seen as long."""
    cutoff = now - lease()
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gt=cutoff).values_list("worker_id", flat=True)
    )
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lte=cutoff)
    return [job for job in running if not job.worker_ids or job.worker_ids[-1] not in alive]


def give_back_abandoned_jobs(now: dt.datetime | None = None) -> int:
    """Requeue (or fail, after the last attempt) every abandoned job; how many were given
    back. Heartbeats older than the lease are removed with them."""
    now = now or timezone.now()
    given_back = sum(_give_back(job, now) for job in abandoned_jobs(now))
    WorkerHeartbeat.objects.filter(seen_at__lte=now - lease()).delete()
    return given_back


def _give_back(job: DBTaskResult, now: dt.datetime) -> int:
    attempts = len(job.worker_ids)
    held = DBTaskResult.objects.filter(
        pk=job.pk, status=TaskResultStatus.RUNNING, started_at=job.started_at
    )
    lost = job.worker_ids[-1] if job.worker_ids else "?"
    if attempts >= settings.WORKER_MAX_ATTEMPTS:
        changed = held.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=WORKER_LOST,
            traceback=(
                f"worker {lost} stopped while running this job (attempt {attempts} of "
                f"{settings.WORKER_MAX_ATTEMPTS}); not seen since before {now - lease()}"
            ),
            return_value=None,
        )
        if changed:
            logger.error("job %s lost its worker %s on its last attempt", job.task_path, lost)
        return changed
    changed = held.update(status=TaskResultStatus.READY, run_after=now)
    if changed:
        logger.warning(
            "job %s lost its worker %s (attempt %d of %d); queued again",
            job.task_path,
            lost,
            attempts,
            settings.WORKER_MAX_ATTEMPTS,
        )
    return changed


class Heartbeat(threading.Thread):
    """Beats for ``worker_id`` and gives back abandoned jobs, every ``every`` seconds, while
    the worker's main loop runs jobs (a long job does not stop the heartbeat)."""

    def __init__(self, worker_id: str, every: float) -> None:
        super().__init__(name="shuzheng-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                close_old_connections()
                beat(self.worker_id)
                give_back_abandoned_jobs()
            except Exception:
                # A database that is away for a moment must not stop the heartbeat for good.
                logger.exception("the worker could not write its heartbeat")
            self.stopping.wait(self.every)

    def stop(self) -> None:
        self.stopping.set()
