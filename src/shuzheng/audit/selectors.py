"""Reading the audit trail (the filters are ``audit.filtersets.EventFilterSet``)."""

from __future__ import annotations

from shuzheng.audit.models import AuditEvent


def events():
    """Every event, newest first (the model's order)."""
    return AuditEvent.objects.all()


def filter_choices() -> dict[str, list[str]]:
    """The distinct actions and object types recorded so far, for the filter form's lists."""
    return {
        "actions": list(
            AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct()
        ),
        "object_types": list(
            AuditEvent.objects.order_by("object_type")
            .values_list("object_type", flat=True)
            .distinct()
        ),
    }
