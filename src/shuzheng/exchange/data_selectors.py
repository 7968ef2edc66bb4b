"""Reads of the consumer's and the provider's data pages (issue 16, point 7: "consumers
(… tokens, usage), providers (… publish/sync)"): a unit's data-API tokens and the resources
it may make one for, its published tables and the resources it may still publish, a table's
rows and its sync history.

A person of a unit reads that unit's; a person with the permission and no unit (an
administrator) reads every unit's, as ``request_selectors`` does for requests.
"""

from __future__ import annotations

from shuzheng import clock
from shuzheng.accounts.authorization import has_perm
from shuzheng.audit.models import AuditEvent
from shuzheng.catalog.grading import Grade
from shuzheng.catalog.models import DataResource
from shuzheng.exchange.models import AccessToken, Grant, PublishedRow, PublishedTable

#: The audit actions that make a table's sync history.
HISTORY_ACTIONS = ("exchange.publish_table", "exchange.rows_changed")


def sees_every_unit(user, permission: str) -> bool:
    """Whether ``user`` holds ``permission`` without a unit of their own (administrators)."""
    return getattr(user, "unit_id", None) is None and has_perm(user, permission)


def _of_unit(user, permission: str, rows, unit_field: str):
    if sees_every_unit(user, permission):
        return rows
    unit_id = getattr(user, "unit_id", None)
    return rows.filter(**{unit_field: unit_id}) if unit_id else rows.none()


def tokens_of(user, permission: str):
    """我的令牌: the tokens of the user's unit, the newest first, with their resources."""
    rows = AccessToken.objects.select_related("consumer").prefetch_related("resources")
    return _of_unit(user, permission, rows.order_by("-created_at", "-id"), "consumer_id")


def tokenable_resources(unit):
    """The published resources ``unit`` holds a live grant for: what a new token may name
    (a token for anything else would read nothing)."""
    live = Grant.objects.filter(consumer=unit, revoked_at=None, expires_at__gt=clock.now())
    return (
        DataResource.objects.filter(
            pk__in=live.values("resource_id"), published_table__isnull=False
        )
        .select_related("provider")
        .order_by("code")
    )


def tables_of(user, permission: str):
    """发布与同步: the published tables of the user's unit, the latest changed first."""
    rows = PublishedTable.objects.select_related("resource", "resource__provider")
    return _of_unit(user, permission, rows.order_by("-modified_at", "-id"), "resource__provider_id")


def publishable_of(user, permission: str):
    """The user's unit's published catalog resources not yet in the exchange; core data is
    never published (``table_services.publish_table``), so it is not offered."""
    rows = (
        DataResource.objects.filter(state="published", published_table__isnull=True)
        .exclude(grade=Grade.CORE)
        .select_related("provider")
        .order_by("code")
    )
    return _of_unit(user, permission, rows, "provider_id")


def table_rows(table: PublishedTable):
    """A table's rows in the order they were first written (stable for paging)."""
    return PublishedRow.objects.filter(table=table).order_by("id")


def sync_history(table: PublishedTable):
    """The table's publication and every write to its rows, from the audit trail (each write
    is one audit event with its counts, ``table_services.apply_row_changes``)."""
    return (
        AuditEvent.objects.filter(
            object_type=PublishedTable._meta.label_lower,
            object_id=str(table.pk),
            action__in=HISTORY_ACTIONS,
        )
        .select_related("actor")
        .order_by("-at", "-id")
    )
