"""What the worker keeps between restarts: when each periodic job was last enqueued.

The queue itself (queued, running, finished and failed jobs) is django-tasks-db's
``DBTaskResult`` table; ``FailedJob`` is a view of it for the admin page.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from shuzheng.worker.periodic import label_of


class ScheduleEntry(models.Model):
    """One periodic job's last enqueue time, so a restart does not enqueue it again early and
    two workers do not both enqueue it (``scheduler.claim_run``)."""

    name = models.CharField(_("job"), max_length=200, unique=True)
    last_enqueued_at = models.DateTimeField(_("last enqueued at"))

    class Meta:
        verbose_name = _("schedule entry")
        verbose_name_plural = _("schedule entries")

    def __str__(self) -> str:
        return self.name


class FailedJobManager(models.Manager):
    def get_queryset(self):
        # A job with an exception recorded: failed for good, or waiting for its retry.
        return super().get_queryset().exclude(exception_class_path="")


class FailedJob(DBTaskResult):
    """A background job that raised: the admin page of failures lists these."""

    objects = FailedJobManager()

    class Meta:
        proxy = True
        ordering = ["-finished_at"]
        verbose_name = _("failed background job")
        verbose_name_plural = _("failed background jobs")

    def __str__(self) -> str:
        return label_of(self.task_path)


class WorkerHeartbeat(models.Model):
    """When a running ``shuzheng worker`` last said it is alive (``leases.beat``): a job it
    holds counts as abandoned once its heartbeat is older than WORKER_LEASE seconds."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last seen at"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"
