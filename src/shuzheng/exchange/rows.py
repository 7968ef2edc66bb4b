"""The rules of a published table's rows and of the filters a query may put on them (issue 16,
points 2 and 3; seed task 37: cross-level sharing of government data).

Pure Python, no Django: the upload, the provider's sync API, the data API and the tests use
these same rules.

* **Columns.** A published table's columns are named like identifiers and typed (text,
  integer, decimal, date, yes/no); a cell is checked and brought to one canonical JSON value
  (:func:`typed_value`), so that the same value is stored, compared and filtered alike on
  SQLite and PostgreSQL. Decimals are kept as their canonical text (JSON numbers would lose
  digits), dates as ISO 8601 text.
* **Primary key.** :func:`row_key` is the one canonical text of a row's primary-key values:
  the table's unique key, the change feed's key and what a consumer deletes by.
* **Filters.** A consumer's filter, and a grant's row filters, are validated here into
  :class:`Filter` values: only granted columns (anything else is ``ungranted-column``, whether
  the column exists or not, so that nothing about ungranted columns leaks), only the operators
  ``eq`` and ``in``, every value typed by its column. A filter is never text put into SQL: the
  data API turns validated filters into Django lookups on ``values__<column>``
  (:func:`Filter.lookup`) with the typed values as parameters.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

TEXT = "text"
INTEGER = "integer"
DECIMAL = "decimal"
DATE = "date"
BOOLEAN = "boolean"
COLUMN_TYPES = (TEXT, INTEGER, DECIMAL, DATE, BOOLEAN)

#: The catalog's information-item data types (``catalog.choices.DataType``) → column types.
CATALOG_TYPES = {
    "string": TEXT,
    "text": TEXT,
    "binary": TEXT,
    "datetime": TEXT,
    "integer": INTEGER,
    "decimal": DECIMAL,
    "money": DECIMAL,
    "date": DATE,
    "boolean": BOOLEAN,
}

#: A column name: an identifier, so that it reads the same in a URL, a CSV header and JSON.
COLUMN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
#: The longest canonical primary-key text (``PublishedRow.key``).
MAX_KEY_LENGTH = 400
#: The longest text cell kept.
MAX_TEXT_LENGTH = 10_000
#: Operators a filter may use.
OPERATORS = ("eq", "in")
#: Values an ``in`` filter may list.
MAX_IN_VALUES = 100

_TRUE = frozenset({"true", "1", "yes", "y", "t", "是", "真"})
_FALSE = frozenset({"false", "0", "no", "n", "f", "否", "假"})
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")


class RowError(ValueError):
    """A value, a row or a layout that breaks the rules: ``code`` names the rule, ``params``
    what the message needs (worded by the caller in the reader's language)."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params = params


class FilterError(ValueError):
    """A filter the data API refuses: ``kind`` is the problem type (``ungranted-column`` or
    ``invalid-filter``), ``detail`` says why in English (the API's documented detail) and
    ``rule`` which rule broke (``column``, ``shape``, ``operator``, ``count``, ``scalar``,
    ``type``, ``empty``), for a page that words it in the reader's language."""

    def __init__(self, kind: str, detail: str, rule: str = ""):
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.rule = rule


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    title: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "type": self.type, "title": self.title}


def columns_from(data: Iterable[Mapping[str, Any]]) -> list[Column]:
    """Columns as a table stores them (``PublishedTable.columns``)."""
    return [Column(c["name"], c["type"], c.get("title", "")) for c in data]


def check_layout(columns: Sequence[Column], primary_key: Sequence[str]) -> None:
    """A table's columns and primary key, or RowError: names are identifiers and unique,
    types known, the primary key one or more of the columns, none twice."""
    if not columns:
        raise RowError("no_columns")
    seen: set[str] = set()
    for column in columns:
        if not COLUMN_NAME.match(column.name or ""):
            raise RowError("bad_column_name", column=column.name)
        if column.name in seen:
            raise RowError("repeated_column", column=column.name)
        if column.type not in COLUMN_TYPES:
            raise RowError("bad_column_type", column=column.name, type=column.type)
        seen.add(column.name)
    if not primary_key:
        raise RowError("no_primary_key")
    if len(set(primary_key)) != len(primary_key):
        raise RowError("repeated_column", column=",".join(primary_key))
    for name in primary_key:
        if name not in seen:
            raise RowError("unknown_key_column", column=name)


def typed_value(raw: Any, column_type: str) -> Any:
    """The canonical JSON value of a cell of type ``column_type``; ``None`` for an empty cell.

    Raises RowError ``bad_<type>`` when the cell is not of its type."""
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = raw.strip()
        if raw == "":
            return None
    if column_type == TEXT:
        text = raw.isoformat() if isinstance(raw, dt.date) else str(raw)
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        if len(text) > MAX_TEXT_LENGTH:
            raise RowError("too_long", limit=MAX_TEXT_LENGTH)
        return text
    if column_type == INTEGER:
        return _integer(raw)
    if column_type == DECIMAL:
        return _decimal(raw)
    if column_type == DATE:
        return _date(raw)
    if column_type == BOOLEAN:
        return _boolean(raw)
    raise RowError("bad_column_type", type=column_type)


def _integer(raw: Any) -> int:
    if isinstance(raw, bool):
        raise RowError("bad_integer")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and _INTEGER.match(raw):
        return int(raw)
    raise RowError("bad_integer")


def _decimal(raw: Any) -> str:
    if isinstance(raw, bool):
        raise RowError("bad_decimal")
    try:
        value = Decimal(str(raw).replace(",", "")) if not isinstance(raw, Decimal) else raw
    except InvalidOperation as exc:
        raise RowError("bad_decimal") from exc
    if not value.is_finite() or abs(value.adjusted()) > 30:
        raise RowError("bad_decimal")
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _date(raw: Any) -> str:
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    text = str(raw).replace("/", "-").replace(".", "-")
    text = re.sub(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$", r"\1-\2-\3", text)
    match = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$", text)
    if not match:
        raise RowError("bad_date")
    try:
        return dt.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError as exc:
        raise RowError("bad_date") from exc


def _boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise RowError("bad_boolean")


@dataclass(frozen=True)
class CellProblem:
    """One cell that breaks a rule: its column (empty for the row as a whole) and the rule."""

    column: str
    code: str
    params: dict


def typed_row(
    raw: Mapping[str, Any], columns: Sequence[Column], primary_key: Sequence[str]
) -> tuple[dict[str, Any], list[CellProblem]]:
    """A row's canonical values and the problems of its cells. Columns the table does not
    have are refused (``unknown_column``: a provider's typo must not pass silently); a
    column missing from ``raw`` is empty; a primary-key column may not be empty."""
    values: dict[str, Any] = {}
    problems: list[CellProblem] = []
    known = {column.name for column in columns}
    for name in raw:
        if name not in known:
            problems.append(CellProblem(str(name), "unknown_column", {}))
    for column in columns:
        try:
            values[column.name] = typed_value(raw.get(column.name), column.type)
        except RowError as exc:
            problems.append(CellProblem(column.name, exc.code, exc.params))
            continue
        if values[column.name] is None and column.name in primary_key:
            problems.append(CellProblem(column.name, "empty_key", {}))
    if not problems:
        try:
            row_key(values, primary_key)
        except RowError as exc:
            problems.append(CellProblem("", exc.code, exc.params))
    return values, problems


def key_part(value: Any) -> str:
    """One primary-key value as canonical text (booleans as true/false, numbers plain)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def row_key(values: Mapping[str, Any], primary_key: Sequence[str]) -> str:
    """The canonical text of a row's primary key: the value itself for a one-column key,
    a compact JSON array of the values' texts for a composite one (so that no separator can
    be forged by a value). Raises RowError ``empty_key`` / ``key_too_long``."""
    parts = []
    for name in primary_key:
        value = values.get(name)
        if value is None or value == "":
            raise RowError("empty_key", column=name)
        parts.append(key_part(value))
    key = (
        parts[0]
        if len(parts) == 1
        else json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    )
    if len(key) > MAX_KEY_LENGTH:
        raise RowError("key_too_long", limit=MAX_KEY_LENGTH)
    return key


def key_from_text(text: str, columns: Sequence[Column], primary_key: Sequence[str]) -> str:
    """The canonical key of a key written by a caller (a URL's ``{key}``): typed by the key
    columns, so that ``007`` of an integer key names row ``7``. Raises RowError."""
    by_name = {column.name: column for column in columns}
    if len(primary_key) == 1:
        parts: list[Any] = [text]
    else:
        try:
            parts = json.loads(text)
        except ValueError as exc:
            raise RowError("bad_key") from exc
        if not isinstance(parts, list) or len(parts) != len(primary_key):
            raise RowError("bad_key")
    values = {}
    for name, part in zip(primary_key, parts, strict=True):
        values[name] = typed_value(part, by_name[name].type)
    return row_key(values, primary_key)


# ------------------------------------------------------------------------------- filters


@dataclass(frozen=True)
class Filter:
    """A validated filter: a granted column, ``eq`` or ``in``, and typed values."""

    column: str
    op: str
    values: tuple

    def lookup(self) -> tuple[str, Any]:
        """The Django lookup and its parameter on the rows' JSON ``values`` field."""
        if self.op == "eq":
            return f"values__{self.column}", self.values[0]
        return f"values__{self.column}__in", list(self.values)

    def matches(self, values: Mapping[str, Any]) -> bool:
        """Whether a row's values pass the filter (the change feed filters changes with it)."""
        return values.get(self.column) in self.values

    def as_dict(self) -> dict[str, Any]:
        value: Any = self.values[0] if self.op == "eq" else list(self.values)
        return {"column": self.column, "op": self.op, "value": value}


def parse_filter(
    column: str, op: str, raw: Any, columns: Sequence[Column], granted: Iterable[str]
) -> Filter:
    """One filter checked against the table's columns and the grant's columns.

    ``raw`` is the value as sent: for ``in``, a list or a comma-separated text."""
    by_name = {c.name: c for c in columns}
    if column not in set(granted) or column not in by_name:
        raise FilterError("ungranted-column", f"column {column!r} is not granted to you", "column")
    if op not in OPERATORS:
        raise FilterError("invalid-filter", f"operator {op!r} is not one of eq, in", "operator")
    items = [raw]
    if op == "in":
        items = list(raw) if isinstance(raw, list | tuple) else str(raw).split(",")
    if not items or len(items) > MAX_IN_VALUES:
        raise FilterError(
            "invalid-filter", f"filter on {column!r} needs 1 to {MAX_IN_VALUES} values", "count"
        )
    values = []
    for item in items:
        if isinstance(item, dict | list):
            raise FilterError(
                "invalid-filter", f"filter on {column!r}: value is not a scalar", "scalar"
            )
        try:
            value = typed_value(item, by_name[column].type)
        except RowError as exc:
            raise FilterError(
                "invalid-filter",
                f"filter on {column!r}: {item!r} is not a {by_name[column].type} value",
                "type",
            ) from exc
        if value is None:
            raise FilterError("invalid-filter", f"filter on {column!r}: empty value", "empty")
        values.append(value)
    if op == "eq" and len(values) != 1:
        raise FilterError("invalid-filter", f"filter on {column!r}: eq takes one value", "count")
    return Filter(column, op, tuple(values))


def parse_query_filters(
    params: Iterable[tuple[str, str]], columns: Sequence[Column], granted: Iterable[str]
) -> list[Filter]:
    """The filters of a query string's parameters other than the reserved ones:
    ``column=value`` and ``column__eq=value`` are equality, ``column__in=a,b`` membership."""
    granted = list(granted)
    found = []
    for name, raw in params:
        column, _sep, op = name.partition("__")
        found.append(parse_filter(column, op or "eq", raw, columns, granted))
    return found


def parse_grant_filters(
    data: Iterable[Mapping[str, Any]], columns: Sequence[Column]
) -> list[Filter]:
    """A grant's row filters (``Grant.row_filters``, and a request's or an approval's before
    they are stored), checked by the same rules: each ``{"column", "op", "value"}`` and
    nothing else. A grant's filter may name a column the grant does not return (e.g. the
    region column)."""
    found = []
    for item in data:
        if not isinstance(item, Mapping) or set(item) - {"column", "op", "value"}:
            raise FilterError(
                "invalid-filter", "a row filter is an object of column, op and value", "shape"
            )
        found.append(
            parse_filter(
                str(item.get("column", "")),
                str(item.get("op", "eq")),
                item.get("value"),
                columns,
                [c.name for c in columns],
            )
        )
    return found


def selected_columns(
    requested: str | None, columns: Sequence[Column], granted: Iterable[str]
) -> list[str]:
    """The columns an answer carries: the requested ones (``fields=a,b``), each granted, in
    the table's order; all granted columns when none are requested."""
    granted_set = set(granted)
    allowed = [c.name for c in columns if c.name in granted_set]
    if not requested:
        return allowed
    names = [name.strip() for name in requested.split(",") if name.strip()]
    for name in names:
        if name not in allowed:
            raise FilterError("ungranted-column", f"column {name!r} is not granted to you")
    wanted = set(names)
    return [name for name in allowed if name in wanted]
