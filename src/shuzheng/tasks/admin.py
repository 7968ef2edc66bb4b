"""Key tasks in Django's admin: corrections to a task, its units and milestones, audited with
before and after (issue 9, point 4); the supervision cycle itself runs on the task pages."""

from django.contrib import admin

from shuzheng.admin_classes import AuditedAdmin
from shuzheng.tasks.models import KeyTask, Milestone, TaskResponsibility
from shuzheng.tasks.services.lights import LIGHT_FIELDS, refresh_lights


class TaskResponsibilityInline(admin.TabularInline):
    model = TaskResponsibility
    extra = 0
    raw_id_fields = ["unit"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(KeyTask)
class KeyTaskAdmin(AuditedAdmin):
    list_display = ["number", "category", "document", "deadline_text", "form", "is_public"]
    list_filter = ["form", "is_public"]
    search_fields = ["content", "raw_responsibility", "category"]
    raw_id_fields = ["document", "section"]
    readonly_fields = LIGHT_FIELDS
    inlines = [TaskResponsibilityInline, MilestoneInline]

    def save_related(self, request, form, formsets, change):
        """Milestones edited here change the task's light: store it again (docs/ledger.md,
        "Stored lights"), in the admin's transaction."""
        super().save_related(request, form, formsets, change)
        refresh_lights([form.instance.pk])
