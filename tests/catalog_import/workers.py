"""Running the queued catalog import as the worker does: claim each ready task row, run it."""

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_queued_jobs() -> list[str]:
    statuses = []
    for row in DBTaskResult.objects.ready():
        row.claim("test-worker")
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
        statuses.append(DBTaskResult.objects.get(pk=row.pk).status)
    return statuses
