"""The change feed's one interface, and its embedded default: the transactional outbox
(issue 16, point 4: "keep the code behind one interface so that this is a backend, not a
rewrite"; docs/exchange-feed.md maps it onto PostgreSQL logical decoding and a
Kafka-compatible log).

A backend does five things: ``append`` the changes of a write (inside the writer's
transaction), ``read_since`` a position, ``read_range`` a delivered batch again (retries and
redelivery), ``ack`` a subscriber's progress, and ``prune`` what every subscriber received
(a log's retention, in a Kafka-compatible backend). Everything above it — grants, cursors,
webhooks, dead letters, delays — is the same whatever the backend.

The outbox keeps every change as a ``FeedChange`` row whose id is its position. Positions
must appear to readers in the order they were given out, else a reader that saw position 11
before the writer of 10 committed would step over 10 for ever; ``append`` therefore locks the
table's ``PublishedTable`` row first, so the writers of one table take positions one
transaction after the other (their rows were theirs to write anyway), and a feed, read per
table, never has a gap filled in behind a cursor. SQLite has one writer at a time already.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from django.conf import settings
from django.db.models import Max, Min
from django.utils.module_loading import import_string

from shuzheng.exchange.choices import FeedDeliveryStatus
from shuzheng.exchange.feed_models import FeedChange, FeedDelivery, FeedSubscription
from shuzheng.exchange.feed_rules import DELETE, FeedEntry
from shuzheng.exchange.hooks import RowChange
from shuzheng.exchange.models import PublishedRow, PublishedTable

DEFAULT_BACKEND = "shuzheng.exchange.feed_backend.OutboxBackend"


class FeedBackend(Protocol):
    def append(self, table, changes: Sequence[RowChange], *, at: dt.datetime) -> int:
        """Record ``changes`` of ``table`` as part of the caller's transaction; the last
        position given out."""

    def read_since(self, table_id: int, position: int, limit: int) -> list[FeedEntry]:
        """Up to ``limit`` changes of the table after ``position``, in position order."""

    def read_range(self, table_id: int, first: int, last: int) -> list[FeedEntry]:
        """The changes of the table from ``first`` to ``last`` (both included)."""

    def head(self, table_id: int) -> int:
        """The table's last position (0 for a table without changes)."""

    def ack(self, subscription_id: int, position: int, *, at: dt.datetime) -> bool:
        """Record that the subscriber received everything up to ``position``; False when it
        had already (a repeated pull, a second worker)."""

    def prune(self, before: dt.datetime) -> int:
        """Remove the changes written before ``before`` that every subscriber of their table
        has received; how many were removed."""


class OutboxBackend:
    """The embedded default: the ``FeedChange`` table in the platform's own database."""

    def append(self, table, changes: Sequence[RowChange], *, at: dt.datetime) -> int:
        # Positions in commit order per table (module docstring).
        PublishedTable.objects.select_for_update().filter(pk=table.pk).values_list("pk").first()
        previous = self._previous_values(table, [c.key for c in changes if c.op == DELETE])
        rows = FeedChange.objects.bulk_create(
            FeedChange(
                table_id=table.pk,
                op=change.op,
                key=change.key,
                values=dict(change.values) if change.op != DELETE else {},
                previous=previous.get(change.key) if change.op == DELETE else None,
                written_at=at,
            )
            for change in changes
        )
        return max(row.pk for row in rows)

    def _previous_values(self, table, keys: list[str]) -> dict[str, dict]:
        """The last known values of the rows being deleted: the row itself while the writer
        has not removed it yet, else the last upsert the feed holds of the key."""
        if not keys:
            return {}
        found = dict(
            PublishedRow.objects.filter(table_id=table.pk, key__in=keys).values_list(
                "key", "values"
            )
        )
        missing = [key for key in keys if key not in found]
        if missing:
            for key, values in (
                FeedChange.objects.filter(table_id=table.pk, key__in=missing, op="upsert")
                .order_by("key", "id")
                .values_list("key", "values")
            ):
                found[key] = values  # the last one per key wins
        return found

    def read_since(self, table_id: int, position: int, limit: int) -> list[FeedEntry]:
        rows = FeedChange.objects.filter(table_id=table_id, id__gt=position).order_by("id")
        return [_entry(row) for row in rows[:limit]]

    def read_range(self, table_id: int, first: int, last: int) -> list[FeedEntry]:
        rows = FeedChange.objects.filter(table_id=table_id, id__gte=first, id__lte=last)
        return [_entry(row) for row in rows.order_by("id")]

    def head(self, table_id: int) -> int:
        return FeedChange.objects.filter(table_id=table_id).aggregate(head=Max("id"))["head"] or 0

    def ack(self, subscription_id: int, position: int, *, at: dt.datetime) -> bool:
        return bool(
            FeedSubscription.objects.filter(pk=subscription_id, acked_position__lt=position).update(
                acked_position=position, last_received_at=at
            )
        )

    def prune(self, before: dt.datetime) -> int:
        """Per table, the changes written before ``before`` up to the lowest position any
        subscriber still needs: its received position, and the first position of any batch
        of it not delivered (waiting, retrying or dead — a dead letter can be redelivered).
        A table without subscribers needs none (a new subscriber starts at the head). The
        floor only rises while this runs (positions are acked forward, new batches are cut
        behind the queued position), so a change still needed is never removed."""
        removed = 0
        tables = (
            FeedChange.objects.filter(written_at__lt=before)
            .values_list("table_id", flat=True)
            .distinct()
            .order_by()
        )
        for table_id in list(tables):
            old = FeedChange.objects.filter(table_id=table_id, written_at__lt=before)
            floor = _needed_from(table_id)
            if floor is not None:
                old = old.filter(id__lt=floor)
            removed += old.delete()[0]
        return removed


def _needed_from(table_id: int) -> int | None:
    """The lowest position a subscriber of the table has not received (None: no subscriber)."""
    received = FeedSubscription.objects.filter(table_id=table_id).aggregate(
        low=Min("acked_position")
    )["low"]
    if received is None:
        return None
    undelivered = (
        FeedDelivery.objects.filter(subscription__table_id=table_id)
        .exclude(status=FeedDeliveryStatus.SENT)
        .aggregate(low=Min("first_position"))["low"]
    )
    return min(received + 1, undelivered if undelivered is not None else received + 1)


def _entry(row: FeedChange) -> FeedEntry:
    return FeedEntry(
        position=row.pk,
        table_id=row.table_id,
        op=row.op,
        key=row.key,
        values=row.values,
        written_at=row.written_at,
        previous=row.previous,
    )


_backend: FeedBackend | None = None
_backend_path: str | None = None


def feed_backend() -> FeedBackend:
    """The configured backend (``EXCHANGE_FEED_BACKEND``, a dotted path; the outbox by
    default), built once per process."""
    global _backend, _backend_path
    path = getattr(settings, "EXCHANGE_FEED_BACKEND", DEFAULT_BACKEND)
    if _backend is None or path != _backend_path:
        _backend, _backend_path = import_string(path)(), path
    return _backend
