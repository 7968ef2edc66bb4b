from django.contrib import admin

from shuzheng.tasks.models import KeyTask, Milestone, TaskResponsibility


class TaskResponsibilityInline(admin.TabularInline):
    model = TaskResponsibility
    extra = 0
    raw_id_fields = ["unit"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(KeyTask)
class KeyTaskAdmin(admin.ModelAdmin):
    list_display = ["number", "category", "document", "deadline_text", "form", "is_public"]
    list_filter = ["form", "is_public"]
    search_fields = ["content", "raw_responsibility", "category"]
    raw_id_fields = ["document", "section"]
    inlines = [TaskResponsibilityInline, MilestoneInline]
