"""Which records are under objection (异议处理中, issue 16 point 5): read by the provider's
and the consumer's pages and by the data API, which marks each such row (``_objection``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef

from shuzheng.exchange.request_choices import ObjectionState
from shuzheng.exchange.request_models import Objection


def open_objection_keys(resource_id: int, keys: Iterable[str] | None = None) -> set[str]:
    """The primary-key values of ``resource_id``'s records with an open objection, among
    ``keys`` when given (one query: a page's rows, a stream's chunk)."""
    rows = Objection.objects.filter(resource_id=resource_id, state=ObjectionState.OPEN)
    if keys is not None:
        keys = list(keys)
        if not keys:
            return set()
        rows = rows.filter(record_key__in=keys)
    return set(rows.values_list("record_key", flat=True))


def under_objection(resource_id: int) -> Exists:
    """True for a published row (the outer query's ``key``) of ``resource_id`` with an open
    objection: the data API's page asks it in the rows' own query."""
    return Exists(
        Objection.objects.filter(
            resource_id=resource_id, state=ObjectionState.OPEN, record_key=OuterRef("key")
        )
    )


def is_under_objection(resource_id: int, key: str) -> bool:
    return bool(open_objection_keys(resource_id, [key]))
