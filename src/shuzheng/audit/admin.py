"""The audit trail in Django's admin: readable and searchable, never editable."""

from django.contrib import admin

from shuzheng.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only by design: an audit trail that an administrator can edit proves nothing.
    Not a ``shuzheng.admin_classes`` page: those write *to* the trail and sit above it."""

    list_display = ("at", "actor_name", "action", "object_type", "object_repr", "remote_addr")
    list_filter = ("action", "object_type", "actor_name")
    search_fields = ("object_repr", "object_id", "actor_name", "action")
    date_hierarchy = "at"
    readonly_fields = [field.name for field in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
