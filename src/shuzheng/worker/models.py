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
