"""The SQL both backends share: everything of a search but the full-text match and the
relevance score, which the vendor's :class:`~shuzheng.search.backends.base.FullText`
engine supplies. So both return the same totals, facets and order for the same index.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, replace

from shuzheng.search.backends.base import FACETS, LISTED_FACETS, Filters, FullText, MatchSql, Row
from shuzheng.search.items import KINDS
from shuzheng.search.query import FacetValue, MatchPlan

#: Kinds in the order a tie is broken: the document above its sections and tasks.
_KIND_ORDER = "CASE e.kind WHEN 'document' THEN 0 WHEN 'section' THEN 1 ELSE 2 END"
_ENTRY_COLUMNS = (
    "e.kind, e.object_id, e.document_id, e.title, e.doc_number, e.heading, e.path, "
    "e.anchor, e.task_number, e.body, e.published_on"
)


class Backend:
    """The search interface services use: one :class:`FullText` engine plus the SQL both
    engines share (the matched set, filters, facet counts, paging)."""

    def __init__(self, full_text: FullText):
        self.full_text = full_text

    @property
    def vendor(self) -> str:
        return self.full_text.vendor

    def prepare(self, cursor) -> None:
        """The engine's per-connection tuning (run by :meth:`search`; the bench runs it
        before its core query)."""
        self.full_text.prepare(cursor)

    # -- the matched set ------------------------------------------------------------------

    def matched_sql(
        self, plan: MatchPlan, filters: Filters, *, ranked: bool = False, columns: str = ""
    ) -> tuple[str, list]:
        """SELECT the id (or ``columns``; when ``ranked`` also the score, kind and date for
        ordering) of every matching entry. Counting and facets use the unranked form: no
        score to compute and no wide rows to carry."""
        if filters.issuer_like or filters.unit_like:
            raise ValueError("loose unit names must be resolved first (resolve_loose_names)")
        has_text = plan.groups or plan.excluded
        match = self.full_text.match_sql(plan, ranked=ranked) if has_text else MatchSql()
        where, where_params = _where(plan, filters, match.entry_id)
        if match.condition:
            where.insert(0, match.condition)
            where_params = match.condition_params + where_params
        columns = columns or "e.id AS id"
        if ranked:
            columns += f", {match.score} AS score, e.kind AS kind, e.published_on AS published_on"
        sql = f"SELECT {columns} FROM {match.source}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return sql, match.params + where_params

    def search(
        self, cursor, plan: MatchPlan, filters: Filters, *, sort: str, page: int, per_page: int
    ) -> tuple[int, list[Row], dict[str, list[FacetValue]]]:
        """Total, the page's rows and the facet counts out of one statement that walks the
        matched set once: the matched entries (id, score and the column facets) are
        materialised, then grouped for the column facets and the total, ranked for the
        page and joined to ``search_facet`` for the listed facets. Three separate queries
        walked the full-text matches three times — the bench's broad queries match 30,000
        entries, and PostgreSQL read their heap pages three times (docs/benchmarks.md).

        The statement counts the document types and validities it knows of
        (:func:`column_domains`) and, per column, every non-empty value; when that exceeds
        the known values' sum an unknown value was indexed, and the domains are read
        again and the statement re-run — so the counts stay exact when another process
        indexed a new type."""
        self.prepare(cursor)
        filters = self.resolve_loose_names(cursor, filters)
        domains = column_domains(cursor)
        while True:
            sql, params = self.search_sql(
                plan, filters, domains, sort=sort, page=page, per_page=per_page
            )
            cursor.execute(sql, params)
            counted = _read_statement(cursor, domains, filters)
            if not counted.unknown_values:
                break
            domains = column_domains(cursor, reload=True)
        ranked = sorted(counted.ranked, key=_page_order(sort))
        rows = self.entry_rows(cursor, {entry_id: score for _, entry_id, score, _ in ranked})
        return counted.total, rows, {facet: counted.facets[facet] for facet in FACETS}

    def search_sql(
        self,
        plan: MatchPlan,
        filters: Filters,
        domains: ColumnDomains,
        *,
        sort: str,
        page: int,
        per_page: int,
    ) -> tuple[str, list]:
        """The one statement of :meth:`search`: rows tagged ``g`` (a year and its counts:
        one per kind — over every kind, for the level facet —, one per known document
        type and validity of the selected kind, and one per column of the selected kind's
        entries with any non-empty value), ``p`` (the page: kind, id, score, published_on) and
        ``f`` (value and a count per listed facet). Every row has the ``g`` rows' number
        of count columns; the other parts pad theirs with NULLs. The matched set is
        materialised without the kind filter; the page, the listed facets and the
        type and validity counts apply it.

        Both counting branches group by one key and count the small domains with
        ``COUNT(*) FILTER`` columns: SQLite groups by sorting, and a sort on one key is
        much cheaper than on three (bench: listed facets 31 → 25 ms for 全区 by value
        alone; column facets by year alone, p95 −1 to −1.4 ms in an A/B; docs/search.md).
        The NULLs are typed: PostgreSQL resolves an untyped NULL of a subquery to text,
        which the UNION cannot match with the year's integer."""
        matched, params = self.matched_sql(
            plan,
            _without_kind(filters),
            ranked=True,
            columns="e.id AS id, e.year AS year, e.doc_type AS doc_type, e.validity AS validity",
        )
        kind, kind_params = ("m.kind = %s", [filters.kind]) if filters.kind else ("1 = 1", [])
        order = (
            "m.score DESC"
            if sort == "relevance"
            else "m.published_on DESC NULLS LAST, m.score DESC"
        )
        value_counts, value_params = _value_counts(domains, filters.kind)
        width = len(KINDS) + len(value_counts)
        per_kind = ", ".join(["COUNT(*) FILTER (WHERE m.kind = %s)"] * len(KINDS))
        per_facet = ", ".join(["COUNT(*) FILTER (WHERE f.facet = %s)"] * len(LISTED_FACETS))
        no_counts = ", ".join(["CAST(NULL AS BIGINT)"] * width)
        facet_padding = "".join([", CAST(NULL AS BIGINT)"] * (width - len(LISTED_FACETS)))
        facet_list = ", ".join(["%s"] * len(LISTED_FACETS))
        sql = (
            f"WITH m AS MATERIALIZED ({matched}) "
            f"SELECT 'g', NULL, m.year, NULL, {per_kind}, {', '.join(value_counts)}, "
            "NULL, NULL, NULL FROM m GROUP BY m.year "
            "UNION ALL SELECT * FROM (SELECT 'p', m.kind, CAST(NULL AS INTEGER), "
            f"CAST(NULL AS TEXT), {no_counts}, m.id, m.score, m.published_on FROM m "
            f"WHERE {kind} "
            f"ORDER BY {order}, {_KIND_ORDER.replace('e.', 'm.')}, m.id LIMIT %s OFFSET %s) p "
            f"UNION ALL SELECT 'f', NULL, NULL, f.value, {per_facet}{facet_padding}, "
            f"NULL, NULL, NULL FROM m CROSS JOIN search_facet f WHERE {kind} "
            f"AND f.entry_id = m.id AND {self.full_text.facet_column} IN ({facet_list}) "
            "GROUP BY f.value"
        )
        return sql, [
            *params,
            *KINDS,
            *value_params,
            *kind_params,
            per_page,
            (page - 1) * per_page,
            *LISTED_FACETS,
            *kind_params,
            *LISTED_FACETS,
        ]

    def page_rows(
        self, cursor, plan: MatchPlan, filters: Filters, *, sort: str, page: int, per_page: int
    ) -> list[Row]:
        """The page's entries in order, without counts or facets (the bench's "core"
        query, compared with tantivy): rank ids and scores first, then read the wide
        columns of those few entries only."""
        ranked, params = self.matched_sql(plan, filters, ranked=True)
        order = (
            "m.score DESC"
            if sort == "relevance"
            else "m.published_on DESC NULLS LAST, m.score DESC"
        )
        cursor.execute(
            f"SELECT m.id, m.score FROM ({ranked}) m "
            f"ORDER BY {order}, {_KIND_ORDER.replace('e.', 'm.')}, m.id LIMIT %s OFFSET %s",
            [*params, per_page, (page - 1) * per_page],
        )
        return self.entry_rows(cursor, dict(cursor.fetchall()))

    def entry_rows(self, cursor, scores: dict[int, float]) -> list[Row]:
        """The wide columns of the page's entries, in the order of ``scores``."""
        if not scores:
            return []
        placeholders = ", ".join(["%s"] * len(scores))
        cursor.execute(
            f"SELECT e.id, {_ENTRY_COLUMNS} FROM search_entry e WHERE e.id IN ({placeholders})",
            list(scores),
        )
        by_id = {row[0]: row[1:] for row in cursor.fetchall()}
        return [Row(scores[entry_id], *by_id[entry_id]) for entry_id in scores]

    # -- loose names ----------------------------------------------------------------------

    def resolve_loose_names(self, cursor, filters: Filters) -> Filters:
        """Turn "a name containing 财政厅" (issuer_like, unit_like) into the exact facet
        values that contain it, read from the distinct values in the index: the filter is
        then an index lookup instead of a LIKE over every facet row (issue 4, item 2)."""
        resolved = {}
        for like_field, names_field, facets in (
            ("issuer_like", "issuer_names", ("issuer", "issuer_code")),
            ("unit_like", "unit_names", ("unit", "unit_code")),
        ):
            like = getattr(filters, like_field)
            if not like:
                continue
            wanted = like.casefold()
            found = [
                value
                for facet in facets
                for value in distinct_facet_values(cursor, facet)
                if wanted in value.casefold()
            ]
            names = tuple(dict.fromkeys((*getattr(filters, names_field), *found)))
            resolved |= {like_field: "", names_field: names or (like,)}
        return replace(filters, **resolved) if resolved else filters


def distinct_facet_values(cursor, facet: str) -> list[str]:
    """The distinct values of one facet, by a loose index scan over (facet, value): one
    index seek per distinct value instead of a walk over every entry's row."""
    cursor.execute(
        "WITH RECURSIVE v(value) AS ("
        " SELECT MIN(value) FROM search_facet WHERE facet = %s"
        " UNION ALL"
        " SELECT (SELECT MIN(f.value) FROM search_facet f WHERE f.facet = %s AND f.value > v.value)"
        " FROM v WHERE v.value IS NOT NULL"
        ") SELECT value FROM v WHERE value IS NOT NULL",
        [facet, facet],
    )
    return [row[0] for row in cursor.fetchall()]


@dataclass(frozen=True)
class ColumnDomains:
    """The non-empty document types and validities in the index: the values the search
    statement counts in columns of its own (:meth:`Backend.search_sql`)."""

    doc_types: tuple[str, ...] = ()
    validities: tuple[str, ...] = ()


_domains: ColumnDomains | None = None


def column_domains(cursor, *, reload: bool = False) -> ColumnDomains:
    """The domains, read once per process and again when a search meets a value not in
    them (``reload``). No invalidation on writes is needed: a value no longer indexed
    only counts 0, and a new one makes the statement's count of every non-empty value
    exceed the known values' sum — in every process, whichever process indexed it. A
    ``SELECT DISTINCT`` scans the covering index (6–7 ms per column at 100,000 entries,
    docs/benchmarks.md), too much per search."""
    global _domains
    if _domains is None or reload:
        _domains = ColumnDomains(
            *(_distinct(cursor, column) for column in ("doc_type", "validity"))
        )
    return _domains


def _distinct(cursor, column: str) -> tuple[str, ...]:
    cursor.execute(f"SELECT DISTINCT {column} FROM search_entry WHERE {column} <> ''")
    return tuple(sorted(row[0] for row in cursor.fetchall()))


def _kind_selected(filters: Filters, kind: str) -> bool:
    return not filters.kind or kind == filters.kind


def _value_counts(domains: ColumnDomains, kind: str) -> tuple[list, list]:
    """The ``COUNT(*) FILTER`` columns of the selected kind's document types and
    validities: one per known value, then one per column of every non-empty value (an
    empty value is no facet value): more than the known values' sum means a value not
    known yet (:meth:`Backend.search`)."""
    of_kind, kind_params = ("m.kind = %s AND ", [kind]) if kind else ("", [])
    columns: list[str] = []
    params: list = []
    for column, values in (("doc_type", domains.doc_types), ("validity", domains.validities)):
        for value in values:
            columns.append(f"COUNT(*) FILTER (WHERE {of_kind}m.{column} = %s)")
            params += [*kind_params, value]
        columns.append(f"COUNT(*) FILTER (WHERE {of_kind}m.{column} <> '')")
        params += kind_params
    return columns, params


@dataclass
class _Counted:
    """What the statement of :meth:`Backend.search` returned, read into facets."""

    total: int
    facets: dict[str, list[FacetValue]]
    ranked: list[tuple]
    unknown_values: int


def _read_statement(cursor, domains: ColumnDomains, filters: Filters) -> _Counted:
    """Sum the ``g`` rows into the column facets and the total, keep the ``p`` rows for
    the page and the ``f`` rows for the listed facets (see :meth:`Backend.search_sql`)."""
    counts: dict[str, Counter] = {facet: Counter() for facet in FACETS}
    ranked: list[tuple] = []
    total = unknown_values = 0
    types = len(domains.doc_types)
    for part, kind, year, value, *numbers, entry_id, score, date in cursor:
        if part == "p":
            ranked.append((kind, entry_id, score, date))
            continue
        if part == "f":
            for facet, count in zip(LISTED_FACETS, numbers, strict=False):
                if count:
                    counts[facet][value] += count
            continue
        per_kind, per_value = numbers[: len(KINDS)], numbers[len(KINDS) :]
        selected = sum(
            n for k, n in zip(KINDS, per_kind, strict=True) if _kind_selected(filters, k)
        )
        total += selected
        counts["kind"].update({k: n for k, n in zip(KINDS, per_kind, strict=True) if n})
        if year is not None and selected:
            counts["year"][str(year)] += selected
        by_type, by_validity = per_value[: types + 1], per_value[types + 1 :]
        for facet, values, found in (
            ("doc_type", domains.doc_types, by_type),
            ("validity", domains.validities, by_validity),
        ):
            counts[facet].update({v: n for v, n in zip(values, found, strict=False) if n})
            unknown_values += found[-1] - sum(found[:-1])
    return _Counted(
        total,
        {facet: _ordered(facet, found) for facet, found in counts.items()},
        ranked,
        unknown_values,
    )


def _ordered(facet: str, counts: Counter) -> list[FacetValue]:
    """Most frequent first (ties by value); years newest first."""
    if facet in ("year", "deadline_year"):
        items = sorted(counts.items(), reverse=True)
    else:
        items = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [FacetValue(value, count) for value, count in items]


_KIND_RANK = {"document": 0, "section": 1}


def _page_order(sort: str):
    """The page's order in Python (the UNION of :meth:`Backend.search_sql` does not keep
    the ranked subquery's order): the same keys as its ORDER BY."""

    def relevance(row):
        kind, entry_id, score, _published_on = row
        return (-score, _KIND_RANK.get(kind, 2), entry_id)

    def date(row):
        kind, entry_id, score, published_on = row
        return (
            published_on is None,
            _negated_date(published_on),
            -score,
            _KIND_RANK.get(kind, 2),
            entry_id,
        )

    return relevance if sort == "relevance" else date


def _negated_date(value) -> int:
    if value is None:
        return 0
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return -value.toordinal()


def _without_kind(filters: Filters) -> Filters:
    return replace(filters, kind="")


def _where(plan: MatchPlan, filters: Filters, entry_id: str) -> tuple[list[str], list]:
    where: list[str] = []
    params: list = []
    for text in plan.substrings:
        where.append(r"(e.body LIKE %s ESCAPE '\' OR e.title LIKE %s ESCAPE '\')")
        params += [_like(text), _like(text)]
    for text in plan.excluded_substrings:
        where.append(r"NOT (e.body LIKE %s ESCAPE '\' OR e.title LIKE %s ESCAPE '\')")
        params += [_like(text), _like(text)]
    if filters.public_only:
        where.append("e.is_public = %s")
        params.append(True)
    for column, value in (
        ("kind", filters.kind),
        ("doc_number", filters.number),
        ("doc_type", filters.doc_type),
        ("validity", filters.validity),
    ):
        if value:
            where.append(f"e.{column} = %s")
            params.append(value)
    if filters.year is not None:
        where.append("e.year = %s")
        params.append(filters.year)
    if filters.date_from is not None:
        where.append("e.published_on >= %s")
        params.append(filters.date_from)
    if filters.date_to is not None:
        where.append("e.published_on <= %s")
        params.append(filters.date_to)
    if filters.document_ids:
        where.append(f"e.document_id IN ({', '.join(['%s'] * len(filters.document_ids))})")
        params += list(filters.document_ids)
    for facets, names in (
        (("issuer", "issuer_code"), filters.issuer_names),
        (("unit", "unit_code"), filters.unit_names),
    ):
        if names:
            clause, clause_params = _facet_clause(entry_id, facets, names)
            where.append(clause)
            params += clause_params
    if filters.topics:
        clause, clause_params = _facet_clause(entry_id, ("topic",), filters.topics)
        where.append(clause)
        params += clause_params
    if filters.deadline_year is not None:
        clause, clause_params = _facet_clause(
            entry_id, ("deadline_year",), (str(filters.deadline_year),)
        )
        where.append(clause)
        params += clause_params
    return where, params


def _facet_clause(
    entry_id: str, facets: tuple[str, ...], names: tuple[str, ...]
) -> tuple[str, list]:
    """An entry has a value of one of ``facets`` among ``names`` (unit names, short names,
    aliases or codes; a loose name is resolved to these first, see
    ``Backend.resolve_loose_names``). An uncorrelated IN: the few matching entry ids are
    looked up once in the (facet, value) index, not once per matched entry."""
    clause = (
        f"{entry_id} IN (SELECT f.entry_id FROM search_facet f "
        f"WHERE f.facet IN ({', '.join(['%s'] * len(facets))}) "
        f"AND f.value IN ({', '.join(['%s'] * len(names))}))"
    )
    return clause, [*facets, *names]


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
