"""Admin classes shared by the apps: every write made in ``/admin/`` is audited.

Issue 9, point 4: whatever path a write takes, it reaches the audit trail with before and
after. :class:`AuditedAdmin` records what an editing page writes; :class:`ReadOnlyAdmin`
(rows that services or the worker write: the admin looks, and deletes, audited) and
:class:`KeptRecordAdmin` (evidence: not even deleted) derive from it, so that no admin page
of the platform writes unaudited (``tests/audit/test_admin_writes.py`` walks them all).
This module sits just above the audit app in the import contract; the trail's own admin
page, below it, refuses every write by itself.
"""

from django.contrib import admin
from django.db import transaction

from shuzheng.audit.services import record_change, snapshot
from shuzheng.client_address import client_address

ADDED = "admin.add"
CHANGED = "admin.change"
DELETED = "admin.delete"


class AuditedAdmin(admin.ModelAdmin):
    """Every add, change and delete made through this admin page — the object, its inline
    rows and its many-to-many choices — is recorded with before and after, in the admin's
    transaction (Django wraps the change and delete views in one; the bulk delete action is
    wrapped here). Django saves a submitted form even when nothing changed, and so a save
    is recorded even when before equals after: a write happened.

    A page whose app has a service for the write records through that service instead, by
    overriding :meth:`record_saved` (accounts' users)."""

    def save_model(self, request, obj, form, change):
        # Before the form's values are saved, and before save_related stores the
        # many-to-many choices: the state the object had.
        form.audit_before = stored_snapshot(obj) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.record_saved(request, form.instance, form.audit_before)

    def record_saved(self, request, obj, before: dict | None) -> None:
        record_change(
            actor=request.user,
            action=ADDED if before is None else CHANGED,
            obj=obj,
            before=before,
            after=full_snapshot(obj),
            remote_addr=client_address(request),
        )

    def save_formset(self, request, form, formset, change):
        # Keyed by the form's instance: formset.save() changes rows and clears deleted ones' ids.
        pks = [row.instance.pk for row in formset.initial_forms if row.instance.pk is not None]
        stored = {row.pk: row for row in formset.model._base_manager.filter(pk__in=pks)}
        before = {
            id(row.instance): (row.instance.pk, full_snapshot(stored[row.instance.pk]))
            for row in formset.initial_forms
            if row.instance.pk in stored
        }
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            self._record(request, ADDED, obj, obj.pk, after=full_snapshot(obj))
        for obj, _fields in formset.changed_objects:
            pk, state = before[id(obj)]
            self._record(request, CHANGED, obj, pk, state, full_snapshot(obj))
        for obj in formset.deleted_objects:
            pk, state = before[id(obj)]
            self._record(request, DELETED, obj, pk, state)

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._record(request, DELETED, obj, obj.pk, full_snapshot(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self._record(request, DELETED, obj, obj.pk, full_snapshot(obj))
            super().delete_queryset(request, queryset)

    def _record(self, request, action: str, obj, object_id, before=None, after=None) -> None:
        record_change(
            actor=request.user,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=object_id,
            object_repr=str(obj),
            before=before,
            after=after,
            remote_addr=client_address(request),
        )


def stored_snapshot(obj) -> dict | None:
    """The object as the database holds it (the admin's form has already changed ``obj``)."""
    stored = type(obj)._base_manager.filter(pk=obj.pk).first()
    return full_snapshot(stored) if stored is not None else None


def full_snapshot(obj) -> dict:
    """:func:`~shuzheng.audit.services.snapshot` with the many-to-many choices (their ids)."""
    data = snapshot(obj)
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            data[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return data


class ReadOnlyAdmin(AuditedAdmin):
    """Look, never add or change; deleting stays possible (e.g. clearing old deliveries),
    and is audited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class KeptRecordAdmin(ReadOnlyAdmin):
    """A record that must survive as evidence (failed jobs): not even deleted from the admin."""

    def has_delete_permission(self, request, obj=None):
        return False
