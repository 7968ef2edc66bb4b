"""Catalog codes and snapshots in the reader's language: a version's fields and values are
stored as codes (``services.snapshot``) and worded here, at display."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from shuzheng.audit.diff import DiffRow
from shuzheng.catalog.choices import DataType, Grade, OpenType, ShareType, State, UpdateFrequency
from shuzheng.catalog.models import DataResource

#: Snapshot keys whose values are the codes of a choice.
CHOICES = {
    "share_type": ShareType,
    "open_type": OpenType,
    "update_frequency": UpdateFrequency,
    "grade": Grade,
    "state": State,
}
ITEM_SEPARATOR = "；"
LIST_SEPARATOR = "，"


@dataclass(frozen=True)
class WordedRow:
    label: str
    before: str
    after: str


def field_label(name: str) -> str:
    if name == "fields":
        return _("Information items")
    return str(DataResource._meta.get_field(name).verbose_name)


def _choice(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _item(item: dict) -> str:
    parts = [_choice(DataType, item.get("data_type")), _choice(Grade, item.get("grade"))]
    if item.get("is_authoritative"):
        parts.append(_("Authoritative source"))
    return _("%(name)s (%(details)s)") % {
        "name": item.get("name", ""),
        "details": LIST_SEPARATOR.join(parts),
    }


def value_text(name: str, value, unit_names: dict[str, str] | None = None) -> str:
    """A snapshot value as the reader reads it (``unit_names``: unit code → name, for the
    provider, which a snapshot keeps by code)."""
    if value is None or value == "" or value == []:
        return "—"
    if name == "provider":
        return (unit_names or {}).get(value, value)
    if name in CHOICES:
        return _choice(CHOICES[name], value)
    if name == "fields":
        return ITEM_SEPARATOR.join(_item(item) for item in value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(part) for part in value)
    return str(value)


def worded(row: DiffRow, unit_names: dict[str, str] | None = None) -> WordedRow:
    return WordedRow(
        label=field_label(row.field),
        before=value_text(row.field, row.before, unit_names) if row.in_before else "—",
        after=value_text(row.field, row.after, unit_names) if row.in_after else "—",
    )
