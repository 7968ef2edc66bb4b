"""What a subscriber of the change feed receives (issue 16, points 2 and 4; seed task 38).

Pure Python, no Django: the outbox, the pull API, the webhook worker and the tests apply
the same rules. A change is shown to a consumer through the grant it holds at delivery time
— columns cut to the granted ones, rows kept only when the grant's row filters match —
so that a grant narrowed or revoked after a write is obeyed by the next delivery of that
write (issue 16, point 2: "revocation takes effect on the next request").

Row filters are data, never code: ``{"column": c, "op": "eq" | "in", "value": v}``,
compared with the row's values in Python. A delete carries no values; it is shown when the
row's last known values (``previous``) passed the filters, and, when nothing is known of the
row, only to a grant without row filters — a consumer never learns the key of a row it
could not have seen.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

UPSERT = "upsert"
DELETE = "delete"


@dataclass(frozen=True)
class FeedEntry:
    """One change as a feed backend returns it."""

    position: int
    table_id: int
    op: str
    key: str
    values: dict[str, Any]
    written_at: dt.datetime
    previous: dict[str, Any] | None = None


@dataclass(frozen=True)
class GrantView:
    """The part of a grant the feed applies: the readable columns and the row filters."""

    columns: frozenset[str]
    row_filters: tuple[Mapping[str, Any], ...] = field(default=())

    @classmethod
    def of(cls, columns: Iterable[str], row_filters: Iterable[Mapping[str, Any]] = ()):
        return cls(frozenset(columns), tuple(row_filters))


def _comparable(value: Any) -> Any:
    """Numbers compare by value (``1``, ``1.0`` and ``"1"`` stored from a CSV are one
    number), everything else by its text; booleans stay booleans."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value)).normalize()
    text = str(value).strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    return number.normalize() if number.is_finite() else text


def filter_matches(row_filter: Mapping[str, Any], values: Mapping[str, Any]) -> bool:
    """Whether one row filter keeps a row with ``values``; an unknown op keeps nothing."""
    column = row_filter.get("column")
    if column not in values:
        return False
    actual = _comparable(values[column])
    op = row_filter.get("op")
    expected = row_filter.get("value")
    if op == "eq":
        return actual == _comparable(expected)
    if op == "in" and isinstance(expected, (list, tuple)):
        return any(actual == _comparable(item) for item in expected)
    return False


def row_visible(view: GrantView, values: Mapping[str, Any] | None) -> bool:
    """Whether a row with ``values`` passes every row filter of the grant (all must hold)."""
    if not view.row_filters:
        return True
    if values is None:
        return False
    return all(filter_matches(row_filter, values) for row_filter in view.row_filters)


def visible_change(entry: FeedEntry, view: GrantView) -> dict[str, Any] | None:
    """The change as the grant's holder receives it, or None when the grant hides it."""
    if entry.op == UPSERT:
        if not row_visible(view, entry.values):
            return None
        values = {name: value for name, value in entry.values.items() if name in view.columns}
    elif entry.op == DELETE:
        if not row_visible(view, entry.previous):
            return None
        values = {}
    else:
        return None
    return {
        "position": entry.position,
        "op": entry.op,
        "key": entry.key,
        "values": values,
        "written_at": entry.written_at.isoformat(),
    }


def visible_changes(entries: Sequence[FeedEntry], view: GrantView) -> list[dict[str, Any]]:
    return [change for entry in entries if (change := visible_change(entry, view)) is not None]


def delay_ms(written_at: dt.datetime, received_at: dt.datetime) -> int:
    """Milliseconds from a change's write to its receipt (never negative: clocks of one
    database server, but a frozen demo clock may stand still)."""
    return max(0, round((received_at - written_at).total_seconds() * 1000))


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The nearest-rank percentile (``fraction`` 0.5 → p50, 0.99 → p99); None for no values."""
    if not values:
        return None
    if not 0 < fraction <= 1:
        raise ValueError("fraction must be in (0, 1]")
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]
