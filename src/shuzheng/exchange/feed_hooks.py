"""The change feed's row-change listener (issue 16, point 4: a transactional outbox).

Registered from ``ExchangeConfig.ready()`` on ``exchange.hooks``: every service that writes a
published table's rows calls ``hooks.rows_changed`` inside its transaction, and this
listener appends the changes to the feed in the same transaction — so a change is in the
feed exactly when it is in the table, and a write that rolls back leaves no change behind.
When the table has webhook subscribers, the worker is woken once the write commits, so a
change is pushed within about a second instead of at the next periodic run.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from shuzheng import clock
from shuzheng.exchange.feed_backend import feed_backend
from shuzheng.exchange.feed_services import has_push_subscribers
from shuzheng.exchange.feed_tasks import wake_feed_worker
from shuzheng.exchange.hooks import RowChange


def record_row_changes(table, changes: Sequence[RowChange]) -> None:
    feed_backend().append(table, changes, at=clock.now())
    if has_push_subscribers(table.pk):
        transaction.on_commit(wake_feed_worker)
