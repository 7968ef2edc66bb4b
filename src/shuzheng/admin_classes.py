"""Admin classes shared by the apps: pages where administrators look but do not write.

Rows these pages show are written by the services (audited) or by the worker; an edit in
the admin would bypass both, so the admin only reads.
"""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Look, never add or change; deleting stays possible (e.g. clearing old deliveries)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class KeptRecordAdmin(ReadOnlyAdmin):
    """A record that must survive as evidence (the audit trail, failed jobs): not even
    deleted from the admin."""

    def has_delete_permission(self, request, obj=None):
        return False
