"""What a token may read, and the reads themselves (issue 16, point 2: "the data API enforces
[the grant], not the UI; revocation takes effect on the next request"; seed task 37).

:func:`access_for` decides, on every request and without a cache (one statement, and one for
the core columns), whether a token reads a resource: the resource is published into the
exchange, is not core data (GB/T 43697-2024: core data never leaves, ``catalog.grading``), is
among the token's resources, and a live grant (not revoked, not expired) exists for the
token's unit and the resource. The answer carries
the granted columns — the grant's, minus any core information item — and the grant's row
filters. Every read here is narrowed by both, so no path returns an ungranted column or row.

Exports stream with flat memory: rows are read from a chunked (server-side) cursor in blocks
of ``EXPORT_CHUNK``, as one JSON text per row (NDJSON; the database builds the projected
object) or as the selected columns' cell texts (CSV; the database extracts them), never as
model instances nor as Python objects per row, and sent a block at a time while their SM3
digest is taken.

A row under an open objection (issue 16, point 5: "the record carries a visible 'under
objection' mark until resolved") carries ``"_objection": true`` in JSON pages and NDJSON, and
``true`` in the CSV's last column ``_objection``. A page asks for its rows' marks in one query;
an export reads the resource's open objections once (objections are filed by people, so they
are few) and, when there are none, streams exactly as before.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import reduce

from django.db import connections
from django.db.models import Case, F, Func, Q, TextField, Value, When
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from shuzheng import clock
from shuzheng.catalog.grading import Grade
from shuzheng.catalog.models import DataField, DataResource
from shuzheng.crypto import sm3_stream
from shuzheng.exchange import rows
from shuzheng.exchange.choices import TableSource
from shuzheng.exchange.models import AccessToken, Grant, PublishedRow, PublishedTable
from shuzheng.exchange.objection_selectors import open_objection_keys, under_objection
from shuzheng.exchange.problems import ExchangeProblem

#: Rows per page of a query, at most and by default.
MAX_PAGE = 1000
DEFAULT_PAGE = 100
#: Rows fetched from the database per round trip of an export, and rows per block sent.
EXPORT_CHUNK = 5000
#: The mark of a row under an open objection: a JSON member, and the CSV's last column.
OBJECTION_MARK = "_objection"


@dataclass
class Access:
    """A token's right to one resource, as decided for this request."""

    token: AccessToken
    table: PublishedTable
    grant: Grant
    columns: list[rows.Column]
    #: The columns the consumer may read, in the table's order.
    granted: list[str]
    row_filters: list[rows.Filter]

    @property
    def resource(self):
        return self.table.resource


def access_for(token: AccessToken, name: str) -> Access:
    """The access ``token`` has to the published resource named ``name`` (its catalog
    ``name``), or ExchangeProblem ``not-found``, ``core-data`` or ``grant-missing``."""
    found = _access_row(token, name)
    if found is None:
        raise ExchangeProblem("not-found", f"no published resource is named {name!r}")
    table, named, grant = found
    resource = table.resource
    if resource.grade == Grade.CORE:
        raise ExchangeProblem("core-data", "core data never leaves its provider")
    if not named:
        raise ExchangeProblem("grant-missing", "this token does not name this resource")
    if grant is None:
        raise ExchangeProblem("grant-missing", "your unit holds no live grant for this resource")
    columns = rows.columns_from(table.columns)
    wanted = set(grant.columns) - _core_columns(resource.pk)
    granted = [c.name for c in columns if c.name in wanted]
    try:
        row_filters = rows.parse_grant_filters(grant.row_filters, columns)
    except rows.FilterError as exc:
        # A grant whose filter no longer fits the table reads nothing rather than everything.
        raise ExchangeProblem("grant-missing", "the grant's row filter no longer fits") from exc
    return Access(token, table, grant, columns, granted, row_filters)


def _access_sql(connection) -> str:
    """The one statement of :func:`_access_row`, named from the models' tables."""
    q = connection.ops.quote_name
    through = AccessToken.resources.through._meta
    token_fk = q(through.get_field("accesstoken").column)
    resource_fk = q(through.get_field("dataresource").column)
    tables = q(PublishedTable._meta.db_table)
    resources = q(DataResource._meta.db_table)
    grants = q(Grant._meta.db_table)
    return (
        f"SELECT t.id, t.source, t.upstream_url, t.columns, t.primary_key,"
        f" r.id, r.code, r.title, r.grade,"
        f" EXISTS (SELECT 1 FROM {q(through.db_table)} m"
        f" WHERE m.{token_fk} = %s AND m.{resource_fk} = r.id),"
        f" g.id, g.columns, g.row_filters, g.expires_at"
        f" FROM {tables} t JOIN {resources} r ON r.id = t.resource_id"
        f" LEFT JOIN {grants} g ON g.id = (SELECT live.id FROM {grants} live"
        f" WHERE live.consumer_id = %s AND live.resource_id = r.id"
        f" AND live.revoked_at IS NULL AND live.expires_at > %s"
        f" ORDER BY live.granted_at DESC LIMIT 1)"
        f" WHERE r.name = %s"
    )


def _access_row(token: AccessToken, name: str):
    """The published table named ``name`` (with its resource), whether ``token`` names the
    resource, and the unit's newest live grant of it (None if none) — or None if no table is
    so named. One statement, read afresh on every request (so that a revocation refuses the
    next request), written in SQL because building the four ORM queries it replaces cost
    more CPU than the rest of a page's answer (docs/benchmarks.md, "Exchange data-API
    queries"). The instances it makes carry only the fields the data API reads."""
    connection = connections[PublishedTable.objects.db]
    now = connection.ops.adapt_datetimefield_value(clock.now())
    with connection.cursor() as cursor:
        cursor.execute(_access_sql(connection), [token.pk, token.consumer_id, now, name])
        found = cursor.fetchone()
    if found is None:
        return None
    (table_id, source, upstream_url, columns, primary_key) = found[:5]
    (resource_id, code, title, grade, named) = found[5:10]
    (grant_id, grant_columns, row_filters, expires_at) = found[10:]
    resource = _loaded(DataResource(pk=resource_id, name=name, code=code, title=title, grade=grade))
    table = _loaded(
        PublishedTable(
            pk=table_id,
            resource=resource,
            source=source,
            upstream_url=upstream_url,
            columns=_json(columns),
            primary_key=_json(primary_key),
        )
    )
    grant = None
    if grant_id is not None:
        grant = _loaded(
            Grant(
                pk=grant_id,
                consumer_id=token.consumer_id,
                resource=resource,
                columns=_json(grant_columns),
                row_filters=_json(row_filters),
                expires_at=_datetime(expires_at),
            )
        )
    return table, bool(named), grant


def _core_columns(resource_id: int) -> set[str]:
    """The columns of the resource's core information items (never granted)."""
    connection = connections[DataField.objects.db]
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {q('column')} FROM {q(DataField._meta.db_table)}"  # noqa: S608 - model names
            " WHERE resource_id = %s AND grade = %s",
            [resource_id, Grade.CORE.value],
        )
        return {column for (column,) in cursor.fetchall()}


def _loaded(instance):
    instance._state.adding = False
    instance._state.db = instance._meta.default_manager.db
    return instance


def _json(value):
    """A JSON column as a raw cursor gives it: text on SQLite, decoded or text on PostgreSQL."""
    return json.loads(value) if isinstance(value, str) else value


def _datetime(value) -> dt.datetime:
    """A datetime column as a raw cursor gives it (SQLite: UTC text), aware."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=dt.UTC)


def narrowed(access: Access, filters: Sequence[rows.Filter]):
    """The table's rows the grant lets through, narrowed by the query's filters."""
    conditions = [Q(**dict([f.lookup()])) for f in [*access.row_filters, *filters]]
    queryset = PublishedRow.objects.filter(table_id=access.table.pk)
    if conditions:
        queryset = queryset.filter(reduce(lambda a, b: a & b, conditions))
    return queryset


def query_filters(access: Access, params: Sequence[tuple[str, str]]) -> list[rows.Filter]:
    try:
        return rows.parse_query_filters(params, access.columns, access.granted)
    except rows.FilterError as exc:
        raise ExchangeProblem(exc.kind, exc.detail) from exc


def selection(access: Access, fields: str | None) -> list[str]:
    try:
        return rows.selected_columns(fields, access.columns, access.granted)
    except rows.FilterError as exc:
        raise ExchangeProblem(exc.kind, exc.detail) from exc


def page(
    access: Access,
    filters: Sequence[rows.Filter],
    selected: Sequence[str],
    *,
    after: int,
    limit: int,
) -> tuple[list[dict], int | None]:
    """One page of rows after row id ``after`` (keyset paging: stable under writes), and the
    id to ask after for the next page (None at the end). Rows under an open objection carry
    ``_objection: true`` (asked in the page's query)."""
    found = list(
        narrowed(access, filters)
        .filter(id__gt=after)
        .order_by("id")
        .annotate(marked=under_objection(access.resource.pk))
        .values_list("id", "values", "marked")[: limit + 1]
    )
    more = len(found) > limit
    found = found[:limit]
    items = []
    for _id, values, marked in found:
        item = {name: values.get(name) for name in selected}
        if marked:
            item[OBJECTION_MARK] = True
        items.append(item)
    return items, (found[-1][0] if more else None)


class ProjectedJSON(Func):
    """The row's values reduced to ``columns``, as JSON text built by the database (so that
    an export never decodes rows in Python). Column names are identifiers
    (``rows.COLUMN_NAME``) and are passed as parameters all the same."""

    output_field = TextField()

    def __init__(self, columns: Sequence[str]):
        super().__init__(F("values"))
        self.columns = list(columns)

    def as_sql(self, compiler, connection, **extra_context):
        column_sql, params = compiler.compile(self.source_expressions[0])
        parts, all_params = [], []
        for name in self.columns:
            if connection.vendor == "postgresql":
                parts.append(f"%s, ({column_sql} -> %s)")
            else:
                parts.append(f"%s, json({column_sql} -> %s)")
            all_params += [name, *params, name]
        if connection.vendor == "postgresql":
            return f"json_build_object({', '.join(parts)})::text", all_params
        return f"json_object({', '.join(parts)})", all_params


def _json_texts(access: Access, filters, selected: Sequence[str]):
    queryset = narrowed(access, filters).order_by("id")
    if list(selected) == [c.name for c in access.columns]:
        expression = Cast("values", output_field=TextField())
    else:
        expression = ProjectedJSON(selected)
    return queryset.annotate(text=expression).values_list("text", flat=True)


class DigestedStream:
    """An export's blocks as bytes, with their SM3 digest and row count taken as they are
    sent; ``on_close(digest_hex, rows)`` runs once when the stream ends or is abandoned."""

    def __init__(self, blocks: Iterator[tuple[bytes, int]], on_close):
        self._blocks = blocks
        self._on_close = on_close
        self._hash = sm3_stream()
        self.rows = 0

    def __iter__(self):
        try:
            for block, count in self._blocks:
                self._hash.update(block)
                self.rows += count
                yield block
        finally:
            self._on_close(self._hash.finalize().hex(), self.rows)


def _marked_json(texts: Iterator[tuple[str, str]], marked: set[str]) -> Iterator[str]:
    """Each (key, JSON object text) as its text, with the objection mark put into the objects
    of the rows ``marked`` (before the closing brace: the object is never decoded)."""
    member = f',"{OBJECTION_MARK}":true}}'
    for key, text in texts:
        if key in marked:
            text = text[:-1] + member if text.rstrip() != "{}" else "{" + member[1:]
        yield text


def _row_blocks(queryset) -> Iterator[list[tuple]]:
    """The rows of ``queryset`` (a ``values_list`` of texts the database built) in blocks of
    ``EXPORT_CHUNK`` tuples from one chunked cursor (a server-side cursor on PostgreSQL).
    The SQL is the ORM's, so the grant's and the query's filters are the same lookups as a
    page's; but no Python object is made per row — at millions of rows the ORM's per-row
    iteration was the largest cost after the database's own (docs/benchmarks.md)."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while block := cursor.fetchmany(EXPORT_CHUNK):
            yield block


def ndjson_blocks(access: Access, filters, selected) -> Iterator[tuple[bytes, int]]:
    """One JSON object per line, in row-id order."""
    marked = open_objection_keys(access.resource.pk)
    texts = _json_texts(access, filters, selected)
    if marked:
        for block in _row_blocks(texts.values_list("key", "text")):
            yield ("\n".join(_marked_json(block, marked)) + "\n").encode(), len(block)
        return
    for block in _row_blocks(texts):
        yield ("\n".join([text for (text,) in block]) + "\n").encode(), len(block)


class CellText(Func):
    """A column's value as its CSV cell, taken by the database with one JSON extraction
    (``->>``): text as is, numbers and dates as their canonical text, yes/no as ``true`` /
    ``false``, a missing or null value as NULL (an empty cell). SQLite's ``->>`` answers 1
    and 0 for JSON booleans, so they are worded there; PostgreSQL's answers the words.
    (Django's key transform on SQLite parses the JSON two or three times per cell.)"""

    output_field = TextField()

    def __init__(self, name: str, column_type: str):
        super().__init__(F("values"))
        self.name, self.column_type = name, column_type

    def as_sql(self, compiler, connection, **extra_context):
        column_sql, params = compiler.compile(self.source_expressions[0])
        if connection.vendor != "sqlite":
            return f"({column_sql} ->> %s)", [*params, self.name]
        cell = f"({column_sql} ->> %s)"
        if self.column_type == rows.BOOLEAN:
            cell = f"(CASE {cell} WHEN 1 THEN 'true' WHEN 0 THEN 'false' END)"
        return cell, [*params, f"$.{self.name}"]


def csv_blocks(access: Access, filters, selected) -> Iterator[tuple[bytes, int]]:
    """RFC 4180 CSV, UTF-8 with a BOM (so that spreadsheet programs read the Chinese),
    a header row of column names and ``_objection``, then the rows in row-id order (the last
    cell ``true`` for a row under an open objection, else empty). Every cell, the mark too,
    is built by the database (:class:`CellText`), so a block of rows goes to the CSV writer
    as it is read."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*selected, OBJECTION_MARK])
    yield ("\ufeff" + buffer.getvalue()).encode(), 0
    types = {c.name: c.type for c in access.columns}
    marked = open_objection_keys(access.resource.pk)
    mark = Case(When(key__in=marked, then=Value("true")), default=Value("")) if marked else None
    cells = {f"c_{i}": CellText(name, types[name]) for i, name in enumerate(selected)}
    cells["c_mark"] = mark or Value("", output_field=TextField())
    queryset = narrowed(access, filters).order_by("id").annotate(**cells).values_list(*cells)
    for block in _row_blocks(queryset):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(block)
        yield buffer.getvalue().encode(), len(block)


def filter_upstream(access: Access, data):
    """An upstream JSON answer with every record reduced to the granted columns and records
    outside the grant's row filters dropped. A record is an object naming a table column;
    other objects (envelopes such as ``{"items": […]}``) are kept and walked."""
    known = {c.name for c in access.columns}
    granted = set(access.granted)

    def walk(value):
        if isinstance(value, list):
            return [walk(item) for item in value if not _outside(item)]
        if isinstance(value, dict):
            if known & set(value):
                return {k: v for k, v in value.items() if k in granted}
            return {k: walk(v) for k, v in value.items()}
        return value

    def _outside(item) -> bool:
        if not (isinstance(item, dict) and known & set(item)):
            return False
        typed = {}
        for f in access.row_filters:
            column = next(c for c in access.columns if c.name == f.column)
            try:
                typed[f.column] = rows.typed_value(item.get(f.column), column.type)
            except rows.RowError:
                return True
        return not all(f.matches(typed) for f in access.row_filters)

    if isinstance(data, dict) and known & set(data) and _outside(data):
        return None
    return walk(data)


def is_proxy(access: Access) -> bool:
    return access.table.source == TableSource.PROXY


def encoded(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
