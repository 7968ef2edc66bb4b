"""Publishing a resource's data into the exchange, and the one writer of its rows (issue 16,
point 3: "providers publish a resource's data by upload or sync into the platform … with a
primary key"; seed task 38: an exchange system that moves large volumes fast).

* :func:`publish_table` puts a catalog resource into the exchange: its columns (from the
  catalog's information items by default), its primary key, and how the data comes (upload,
  sync or a proxied upstream service). Core data (GB/T 43697-2024) is never published: it
  never leaves its provider through any path (``catalog.grading``).
* :func:`apply_row_changes` is the only code that writes ``PublishedRow``: upserts and deletes
  by primary key, checked whole before anything is written, in one transaction with the
  row-change hook (``hooks.rows_changed``: the change feed's outbox is written in the same
  transaction, so a change is in the feed exactly when it is in the table) and one audit event.
* :func:`upload_rows` reads a CSV (UTF-8, GB18030 …, detected) or an .xlsx file into rows and
  hands them to :func:`apply_row_changes`; problems are reported by row and column. A primary
  key that repeats in the file is refused whole; ``all_or_nothing`` refuses the whole file on
  any problem, otherwise the valid rows land.

Problems are kept as codes with parameters and worded at display (:func:`describe`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from shuzheng import clock
from shuzheng.accounts.authorization import ensure_perm
from shuzheng.audit.services import record_change
from shuzheng.catalog import workbook
from shuzheng.catalog.grading import Grade
from shuzheng.catalog.models import DataResource
from shuzheng.documents.parsing.decoding import DecodingError
from shuzheng.exchange import hooks, rows
from shuzheng.exchange.choices import TableSource
from shuzheng.exchange.models import PublishedRow, PublishedTable
from shuzheng.text.translation import gettext_noop
from shuzheng.uploads import read as read_upload

PUBLISH_PERMISSION = "publish_exchange_data"
#: Rows read and written per statement.
BATCH = 1000
#: The largest upload taken, in MB, and the most rows one sync call may change.
UPLOAD_LIMIT_MB = 50
MAX_BATCH_CHANGES = 10_000
#: How many problems an upload report keeps (the rest are counted).
MAX_PROBLEMS = 200

MESSAGES = {
    "no_columns": gettext_noop("The table has no columns."),
    "bad_column_name": gettext_noop(
        "Column name “{column}” is not allowed: use letters, digits and underscores, starting "
        "with a letter."
    ),
    "repeated_column": gettext_noop("Column “{column}” is named twice."),
    "bad_column_type": gettext_noop("Column “{column}” has an unknown type."),
    "no_primary_key": gettext_noop("Choose the primary key: one or more columns."),
    "unknown_key_column": gettext_noop(
        "The primary key names column “{column}”, not in the table."
    ),
    "core_data": gettext_noop("Core data is never published to the exchange."),
    "not_published": gettext_noop(
        "Only a published catalog resource can be put into the exchange."
    ),
    "already_published": gettext_noop("This resource is already in the exchange."),
    "no_upstream": gettext_noop("A proxied service needs its upstream address."),
    "proxied_table": gettext_noop("A proxied service has no stored rows to change."),
    "unknown_column": gettext_noop("The table has no column “{column}”."),
    "empty_key": gettext_noop("The primary key may not be empty."),
    "key_too_long": gettext_noop("The primary key is longer than {limit} characters."),
    "bad_key": gettext_noop("The key does not name a row of this table."),
    "too_long": gettext_noop("The text is longer than {limit} characters."),
    "bad_integer": gettext_noop("Not an integer."),
    "bad_decimal": gettext_noop("Not a number."),
    "bad_date": gettext_noop("Not a date (write it as 2024-05-01)."),
    "bad_boolean": gettext_noop("Not yes or no (write 是 or 否)."),
    "repeated_key": gettext_noop("The primary key {key} repeats rows {rows}."),
    "not_a_row": gettext_noop("A row is not an object of column values."),
    "too_many_changes": gettext_noop("At most {limit} changes per call; split the batch."),
    "no_header": gettext_noop("The file's first row does not name the table's columns."),
    "missing_key_column": gettext_noop("The file has no column for primary key “{column}”."),
    "no_rows": gettext_noop("The file has no data rows."),
    "not_workbook": gettext_noop("Upload a CSV file or an Excel workbook (.xlsx)."),
    "old_excel": gettext_noop("Save the old Excel workbook (.xls) as .xlsx and upload that."),
    "undecodable": gettext_noop("The CSV file cannot be read as text in UTF-8 or GB18030."),
    "too_large": gettext_noop("The file is {size} MB; at most {limit} MB are taken."),
    "merged": gettext_noop("Merged cells ({range}): unmerge them and upload again."),
}


class TableError(ValueError):
    """A publishing or a write refused: nothing was changed. ``problems`` say why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.code for p in problems))
        self.problems = problems

    @property
    def messages(self) -> list[str]:
        return [describe(problem) for problem in self.problems]


@dataclass(frozen=True)
class Problem:
    """One refused row or cell: the 1-based row (of a file or a batch; 0 for the whole
    call), the column (empty for a row's), a code of :data:`MESSAGES`, its parameters."""

    code: str
    row: int = 0
    column: str = ""
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"code": self.code, "row": self.row, "column": self.column, "params": self.params}


def describe(problem: Problem, translate=gettext) -> str:
    """A problem worded in the reader's language."""
    template = MESSAGES.get(problem.code, problem.code)
    return translate(template).format(**problem.params) if problem.params else translate(template)


@dataclass
class ChangeResult:
    """What one write changed."""

    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    problems: list[Problem] = field(default_factory=list)
    #: Problems beyond those kept in ``problems``.
    more_problems: int = 0

    @property
    def changed(self) -> int:
        return self.inserted + self.updated + self.deleted


def table_columns(table: PublishedTable) -> list[rows.Column]:
    return rows.columns_from(table.columns)


def columns_of_resource(resource: DataResource) -> list[rows.Column]:
    """A resource's columns as its catalog entry's information items name and type them."""
    return [
        rows.Column(item.column, rows.CATALOG_TYPES.get(item.data_type, rows.TEXT), item.name)
        for item in resource.fields.order_by("position")
        if item.column
    ]


@transaction.atomic
def publish_table(
    resource: DataResource,
    *,
    primary_key: Sequence[str],
    source: str = TableSource.UPLOAD,
    columns: Sequence[rows.Column] | None = None,
    actor=None,
    upstream_url: str = "",
    upstream_openapi: dict | None = None,
    is_sample: bool = False,
) -> PublishedTable:
    """Put ``resource`` into the exchange. Raises TableError (nothing written) for core
    data, an unpublished entry, a resource already in, or a bad layout."""
    if actor is not None:
        ensure_perm(actor, PUBLISH_PERMISSION, resource.provider_id)
    resource = DataResource.objects.select_for_update().get(pk=resource.pk)
    if resource.grade == Grade.CORE:
        raise TableError([Problem("core_data")])
    if resource.state != "published":
        raise TableError([Problem("not_published")])
    if PublishedTable.objects.filter(resource=resource).exists():
        raise TableError([Problem("already_published")])
    if source == TableSource.PROXY and not upstream_url:
        raise TableError([Problem("no_upstream")])
    columns = list(columns) if columns is not None else columns_of_resource(resource)
    try:
        rows.check_layout(columns, primary_key)
    except rows.RowError as exc:
        raise TableError([Problem(exc.code, params=exc.params)]) from exc
    now = clock.now()
    table = PublishedTable.objects.create(
        resource=resource,
        source=source,
        columns=[column.as_dict() for column in columns],
        primary_key=list(primary_key),
        upstream_url=upstream_url,
        upstream_openapi=upstream_openapi or {},
        is_sample=is_sample,
        created_at=now,
        modified_at=now,
    )
    record_change(
        actor=actor,
        action="exchange.publish_table",
        obj=table,
        after={
            "resource": resource.code,
            "source": source,
            "columns": [c.name for c in columns],
            "primary_key": list(primary_key),
            "upstream_url": upstream_url,
        },
    )
    return table


def check_changes(
    table: PublishedTable,
    upserts: Iterable[Any],
    deletes: Iterable[Any] = (),
    *,
    numbers: Sequence[int] | None = None,
) -> tuple[dict[str, dict], list[str], list[Problem]]:
    """The batch's upserts keyed by canonical primary key, its deletes' canonical keys, and
    every problem, numbered from 1 in the order given (upserts, then deletes) or by
    ``numbers`` (an upload's file rows)."""
    columns = table_columns(table)
    primary_key = table.primary_key
    upserts = list(upserts)
    problems: list[Problem] = []
    keyed: dict[str, dict] = {}
    first_row: dict[str, int] = {}
    number = 0
    for position, raw in enumerate(upserts, start=1):
        number = numbers[position - 1] if numbers is not None else position
        if not isinstance(raw, Mapping):
            problems.append(Problem("not_a_row", row=number))
            continue
        values, cell_problems = rows.typed_row(raw, columns, primary_key)
        if cell_problems:
            problems += [Problem(p.code, number, p.column, p.params) for p in cell_problems]
            continue
        key = rows.row_key(values, primary_key)
        if key in first_row:
            problems.append(
                Problem(
                    "repeated_key",
                    row=number,
                    params={"key": key, "rows": f"{first_row[key]}, {number}"},
                )
            )
            continue
        first_row[key] = number
        keyed[key] = values
    keys: list[str] = []
    for number, raw in enumerate(deletes, start=len(upserts) + 1):
        try:
            keys.append(rows.key_from_text(str(raw), columns, primary_key))
        except rows.RowError as exc:
            problems.append(Problem(exc.code if exc.code != "empty_key" else "bad_key", row=number))
    return keyed, keys, problems


@transaction.atomic
def apply_row_changes(
    table: PublishedTable,
    upserts: Iterable[Any] = (),
    deletes: Iterable[Any] = (),
    *,
    actor=None,
    checked: tuple[dict[str, dict], list[str]] | None = None,
) -> ChangeResult:
    """Upsert and delete rows of ``table`` by primary key — the one writer of rows.

    The whole batch is checked first; any problem raises TableError and nothing is written.
    Then, in one transaction: rows written in batches, the table's row count kept, the change
    hook told (``hooks.rows_changed``), one audit event (counts and keys' count, not the data).
    ``checked`` passes an already checked batch (:func:`upload_rows`)."""
    if actor is not None:
        ensure_perm(actor, PUBLISH_PERMISSION, table.resource.provider_id)
    table = PublishedTable.objects.select_for_update().get(pk=table.pk)
    if table.source == TableSource.PROXY:
        raise TableError([Problem("proxied_table")])
    if checked is None:
        upserts, deletes = list(upserts), list(deletes)
        if len(upserts) + len(deletes) > MAX_BATCH_CHANGES:
            raise TableError([Problem("too_many_changes", params={"limit": MAX_BATCH_CHANGES})])
        keyed, keys, problems = check_changes(table, upserts, deletes)
        if problems:
            raise TableError(problems)
    else:
        keyed, keys = checked
    now = clock.now()
    result = ChangeResult()
    changes: list[hooks.RowChange] = []
    items = list(keyed.items())
    for start in range(0, len(items), BATCH):
        chunk = dict(items[start : start + BATCH])
        existing = {
            row.key: row
            for row in PublishedRow.objects.filter(table=table, key__in=list(chunk)).only(
                "id", "key", "values"
            )
        }
        new_rows, changed_rows = [], []
        for key, values in chunk.items():
            row = existing.get(key)
            if row is None:
                new_rows.append(PublishedRow(table=table, key=key, values=values, modified_at=now))
            elif row.values != values:
                row.values, row.modified_at = values, now
                changed_rows.append(row)
            else:
                continue
            changes.append(hooks.RowChange("upsert", key, values))
        PublishedRow.objects.bulk_create(new_rows, batch_size=BATCH)
        PublishedRow.objects.bulk_update(changed_rows, ["values", "modified_at"], batch_size=BATCH)
        result.inserted += len(new_rows)
        result.updated += len(changed_rows)
    unique_keys = list(dict.fromkeys(keys))
    for start in range(0, len(unique_keys), BATCH):
        chunk_keys = unique_keys[start : start + BATCH]
        present = list(
            PublishedRow.objects.filter(table=table, key__in=chunk_keys).values_list(
                "key", flat=True
            )
        )
        if present:
            PublishedRow.objects.filter(table=table, key__in=present).delete()
            changes += [hooks.RowChange("delete", key) for key in present]
            result.deleted += len(present)
    if result.changed:
        table.row_count = table.row_count + result.inserted - result.deleted
        table.modified_at = now
        table.save(update_fields=["row_count", "modified_at"])
        hooks.rows_changed(table, changes)
        record_change(
            actor=actor,
            action="exchange.rows_changed",
            obj=table,
            after={
                "inserted": result.inserted,
                "updated": result.updated,
                "deleted": result.deleted,
            },
        )
    return result


def _header_map(header: list, columns: Sequence[rows.Column]) -> dict[int, str]:
    """Header cell position → column name, by the column's name or its item's title."""
    names = {}
    for column in columns:
        names[column.name.lower()] = column.name
        if column.title:
            names[workbook.normalise_header(column.title)] = column.name
    found = {}
    for position, cell in enumerate(header):
        text = str(cell or "").strip().lstrip("\ufeff")
        name = names.get(text.lower()) or names.get(workbook.normalise_header(text))
        if name is not None and name not in found.values():
            found[position] = name
    return found


def read_upload_rows(table: PublishedTable, upload) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """The rows of an uploaded CSV or .xlsx as (file row number, {column: cell}), and the
    file's problems. Raises TableError for a file that is not a table of this layout."""
    info = read_upload(upload)
    try:
        workbook.check_size(info.size, UPLOAD_LIMIT_MB)
        kind = workbook.detect_kind(getattr(upload, "name", "") or "", info.head)
        upload.seek(0)
        numbered, _estimate = workbook.read_rows(upload, kind)
        numbered = iter(numbered)
        first = next(numbered, None)
    except workbook.WorkbookError as exc:
        raise TableError([Problem(p.code, params=p.params) for p in exc.problems]) from exc
    except DecodingError as exc:
        raise TableError([Problem("undecodable")]) from exc
    if first is None:
        raise TableError([Problem("no_rows")])
    columns = table_columns(table)
    header = _header_map(first[1], columns)
    if not header:
        raise TableError([Problem("no_header", row=first[0])])
    missing = [name for name in table.primary_key if name not in header.values()]
    if missing:
        raise TableError(
            [Problem("missing_key_column", row=first[0], params={"column": missing[0]})]
        )
    found = []
    for number, cells in numbered:
        if not any(cell not in (None, "") for cell in cells):
            continue
        found.append(
            (
                number,
                {name: cells[pos] if pos < len(cells) else None for pos, name in header.items()},
            )
        )
    if not found:
        raise TableError([Problem("no_rows")])
    return found, []


def upload_rows(
    table: PublishedTable, upload, *, actor=None, all_or_nothing: bool = True
) -> ChangeResult:
    """Upsert the rows of an uploaded file (issue 16, point 3: publish by upload).

    A primary key that repeats in the file is refused whole (which of the rows is right is the
    provider's to say); with ``all_or_nothing`` any problem refuses the file, otherwise the
    valid rows land and the result lists the others, by file row and column."""
    if actor is not None:
        ensure_perm(actor, PUBLISH_PERMISSION, table.resource.provider_id)
    numbered, _ = read_upload_rows(table, upload)
    keyed, _keys, problems = check_changes(
        table, [cells for _n, cells in numbered], numbers=[n for n, _cells in numbered]
    )
    repeated = [p for p in problems if p.code == "repeated_key"]
    if repeated or (problems and all_or_nothing) or not keyed:
        raise TableError((repeated or problems)[:MAX_PROBLEMS])
    result = apply_row_changes(table, actor=actor, checked=(keyed, []))
    result.problems = problems[:MAX_PROBLEMS]
    result.more_problems = max(0, len(problems) - MAX_PROBLEMS)
    return result
