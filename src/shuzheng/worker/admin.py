"""The admin page of failed background jobs (失败的后台任务), and the periodic schedule.

django-tasks-db's own admin page of every queue row is replaced: its labels are English and
it lists every successful run; administrators need the failures — which job, how many
attempts, whether it will be retried, and the traceback.
"""

from django.conf import settings
from django.contrib import admin
from django.tasks import TaskResultStatus
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from shuzheng.admin_classes import KeptRecordAdmin
from shuzheng.worker.models import FailedJob, ScheduleEntry
from shuzheng.worker.periodic import label_of


def local_time(moment) -> str:
    """In the platform's time zone and the visitor's date format (read-only fields of the
    admin print callables' values as they are)."""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else "-"


if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(FailedJob)
class FailedJobAdmin(KeptRecordAdmin):
    list_display = ("job", "outcome", "attempts", "failed_at", "error")
    list_filter = ("status",)
    fields = ("job", "outcome", "attempts", "queued_at", "failed_at", "error", "trace")
    readonly_fields = fields

    @admin.display(description=_("job"))
    def job(self, obj: FailedJob) -> str:
        return label_of(obj.task_path)

    @admin.display(description=_("outcome"))
    def outcome(self, obj: FailedJob) -> str:
        if obj.status == TaskResultStatus.READY:
            return _("Will be retried at %(time)s") % {"time": local_time(obj.run_after)}
        if obj.status == TaskResultStatus.RUNNING:
            return _("Running again")
        return _("Failed after every attempt")

    @admin.display(description=_("attempts"))
    def attempts(self, obj: FailedJob) -> str:
        return f"{len(obj.worker_ids)} / {settings.WORKER_MAX_ATTEMPTS}"

    @admin.display(description=_("queued at"), ordering="enqueued_at")
    def queued_at(self, obj: FailedJob) -> str:
        return local_time(obj.enqueued_at)

    @admin.display(description=_("last failed at"), ordering="finished_at")
    def failed_at(self, obj: FailedJob) -> str:
        return local_time(obj.finished_at)

    @admin.display(description=_("error"))
    def error(self, obj: FailedJob) -> str:
        return obj.exception_class_path

    @admin.display(description=_("traceback"))
    def trace(self, obj: FailedJob) -> str:
        return format_html("<pre>{}</pre>", obj.traceback)


@admin.register(ScheduleEntry)
class ScheduleEntryAdmin(KeptRecordAdmin):
    list_display = ("job", "last_enqueued_at")

    @admin.display(description=_("job"))
    def job(self, obj: ScheduleEntry) -> str:
        return label_of(obj.name)
