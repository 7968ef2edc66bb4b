"""What the exchange's parts register on each other (Datasette-style hooks,
docs/architecture.md), so that the data API, the change feed and the message log stay
separate modules.

- **Row-change listeners.** ``exchange`` services that write a published table's rows call
  :func:`rows_changed` inside their transaction with what changed; the change feed registers
  a listener that writes its outbox there (issue 16, point 4: a transactional outbox — a
  change is in the feed exactly when it is in the table).
- **Call recorders.** The data API hands every answered call to :func:`call_answered`; the
  message log registers the recorder that chains and keeps it (issue 16, point 3).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal


@dataclass(frozen=True)
class RowChange:
    """One upsert or delete of a published row, by its primary-key value."""

    op: Literal["upsert", "delete"]
    key: str
    #: The row's values after an upsert; empty for a delete.
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AnsweredCall:
    """One data-API call as the message log keeps it: who asked what under which grant,
    and the SM3 digest of what was answered (not the data itself)."""

    at: datetime
    consumer_id: int | None
    token_id: int | None
    grant_id: int | None
    resource_code: str
    method: str
    path: str
    query: str
    status: int
    response_digest: str
    rows: int = 0


RowChangeListener = Callable[[Any, Sequence[RowChange]], None]
CallRecorder = Callable[[AnsweredCall], None]

_row_change_listeners: list[RowChangeListener] = []
_call_recorders: list[CallRecorder] = []


def register_row_change_listener(listener: RowChangeListener) -> None:
    """Call ``listener(table, changes)`` inside every transaction that changes a published
    table's rows. Called from an ``AppConfig.ready()``; registering twice is harmless."""
    if listener not in _row_change_listeners:
        _row_change_listeners.append(listener)


def register_call_recorder(recorder: CallRecorder) -> None:
    """Hand every answered data-API call to ``recorder``. Called from ``AppConfig.ready()``."""
    if recorder not in _call_recorders:
        _call_recorders.append(recorder)


def rows_changed(table: Any, changes: Sequence[RowChange]) -> None:
    """Tell every listener that ``table``'s rows changed; a listener that raises rolls the
    caller's transaction back (nothing half-written)."""
    if changes:
        for listener in _row_change_listeners:
            listener(table, changes)


def call_answered(call: AnsweredCall) -> None:
    for recorder in _call_recorders:
        recorder(call)
