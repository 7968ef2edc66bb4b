"""Before/after comparison of audit snapshots, for the side-by-side view. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MISSING = object()


@dataclass(frozen=True)
class DiffRow:
    field: str
    before: Any
    after: Any
    changed: bool
    #: False when the field is absent from one side (creation, deletion).
    in_before: bool = True
    in_after: bool = True


def diff_rows(before: dict | None, after: dict | None) -> list[DiffRow]:
    """One row per field of either snapshot, in the snapshots' own field order, so that an
    auditor sees what changed without reading two JSON blobs."""
    before = before or {}
    after = after or {}
    fields = list(before) + [name for name in after if name not in before]
    rows = []
    for name in fields:
        old = before.get(name, MISSING)
        new = after.get(name, MISSING)
        rows.append(
            DiffRow(
                field=name,
                before=None if old is MISSING else old,
                after=None if new is MISSING else new,
                changed=old != new,
                in_before=old is not MISSING,
                in_after=new is not MISSING,
            )
        )
    return rows
