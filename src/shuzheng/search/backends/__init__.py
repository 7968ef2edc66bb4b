"""One search interface, two in-database backends (ARCHITECTURE.md: "one search interface
with two backends"): SQLite FTS5 embedded by default, PostgreSQL full text in production.

Everything but the full-text match and the relevance score is shared SQL, so both backends
return the same totals, facets and order for the same index (tests/search run every test on
both). A backend only answers :meth:`Backend.match_sql`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from shuzheng.search.query import FacetValue, MatchPlan

#: Facets counted over the matched set (issue 4, item 3), in display order.
FACETS: tuple[str, ...] = (
    "kind",
    "issuer",
    "year",
    "doc_type",
    "validity",
    "unit",
    "deadline_year",
)
#: Kinds in the order a tie is broken: the document above its sections and tasks.
_KIND_ORDER = "CASE e.kind WHEN 'document' THEN 0 WHEN 'section' THEN 1 ELSE 2 END"
_ENTRY_COLUMNS = (
    "e.kind, e.object_id, e.document_id, e.title, e.doc_number, e.heading, e.path, "
    "e.anchor, e.task_number, e.body, e.published_on"
)


@dataclass(frozen=True)
class Filters:
    """Facet filters in their resolved form: exact values, or name lists for units."""

    kind: str = ""
    number: str = ""
    issuer_names: tuple[str, ...] = ()
    issuer_like: str = ""
    year: int | None = None
    doc_type: str = ""
    validity: str = ""
    unit_names: tuple[str, ...] = ()
    unit_like: str = ""
    deadline_year: int | None = None
    document_ids: tuple[int, ...] = ()
    public_only: bool = True


@dataclass(frozen=True)
class MatchSql:
    """A backend's full-text part of the query: FROM clause (the entry table aliased ``e``),
    score expression, and an optional extra WHERE condition, each with its parameters."""

    source: str = "search_entry e"
    score: str = "0.0"
    params: list = field(default_factory=list)
    condition: str = ""
    condition_params: list = field(default_factory=list)


@dataclass(frozen=True)
class Row:
    score: float
    kind: str
    object_id: int
    document_id: int
    title: str
    doc_number: str
    heading: str
    path: str
    anchor: str
    task_number: str
    body: str
    published_on: object


class Backend:
    """Shared SQL; subclasses supply the full-text match."""

    vendor = ""

    def match_sql(self, plan: MatchPlan, *, ranked: bool) -> MatchSql:
        """The FROM clause, score (when ``ranked``) and condition for the entries matching
        the plan's full-text groups. Only called when the plan has groups or exclusions."""
        raise NotImplementedError

    # -- the matched set ------------------------------------------------------------------

    def matched_sql(
        self, plan: MatchPlan, filters: Filters, *, ranked: bool = False
    ) -> tuple[str, list]:
        """SELECT the id (and when ``ranked`` the score, kind and date for ordering) of
        every matching entry. Counting and facets use the unranked form: no score to
        compute and no wide rows to carry."""
        has_text = plan.groups or plan.excluded
        match = self.match_sql(plan, ranked=ranked) if has_text else MatchSql()
        where, where_params = _where(plan, filters)
        if match.condition:
            where.insert(0, match.condition)
            where_params = match.condition_params + where_params
        columns = "e.id AS id"
        if ranked:
            columns += f", {match.score} AS score, e.kind AS kind, e.published_on AS published_on"
        sql = f"SELECT {columns} FROM {match.source}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return sql, match.params + where_params

    def search(
        self, cursor, plan: MatchPlan, filters: Filters, *, sort: str, page: int, per_page: int
    ) -> tuple[int, list[Row], dict[str, list[FacetValue]]]:
        matched, params = self.matched_sql(plan, filters)
        cursor.execute(f"SELECT COUNT(*) FROM ({matched}) m", params)
        total = cursor.fetchone()[0]
        rows = self.page_rows(cursor, plan, filters, sort=sort, page=page, per_page=per_page)
        facets = self.facet_counts(cursor, plan, filters, total)
        return total, rows, facets

    def page_rows(
        self, cursor, plan: MatchPlan, filters: Filters, *, sort: str, page: int, per_page: int
    ) -> list[Row]:
        """The page's entries in order: rank ids and scores first, then read the wide
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
        scores = dict(cursor.fetchall())
        if not scores:
            return []
        placeholders = ", ".join(["%s"] * len(scores))
        cursor.execute(
            f"SELECT e.id, {_ENTRY_COLUMNS} FROM search_entry e WHERE e.id IN ({placeholders})",
            list(scores),
        )
        by_id = {row[0]: row[1:] for row in cursor.fetchall()}
        return [Row(scores[entry_id], *by_id[entry_id]) for entry_id in scores]

    def facet_counts(
        self, cursor, plan: MatchPlan, filters: Filters, total: int
    ) -> dict[str, list[FacetValue]]:
        """Counts per facet value over the matched set, in SQL. The kind facet ignores the
        kind filter so that the results page can offer the other levels' counts."""
        counts: dict[str, list[FacetValue]] = {facet: [] for facet in FACETS}
        if total == 0 and not filters.kind:
            return counts
        queries = [(filters, [f for f in FACETS if f != "kind"])]
        queries.append((_without_kind(filters), ["kind"]))
        for query_filters, facets in queries:
            matched, params = self.matched_sql(plan, query_filters)
            placeholders = ", ".join(["%s"] * len(facets))
            cursor.execute(
                # IN (subquery), not a join: with a join SQLite's planner may drive the
                # query from search_facet and re-run the full-text match per row
                # (seconds at 100k entries, bench/search_bench.py).
                "SELECT f.facet, f.value, COUNT(*) AS n FROM search_facet f "
                f"WHERE f.facet IN ({placeholders}) "
                f"AND f.entry_id IN (SELECT m.id FROM ({matched}) m) "
                "GROUP BY f.facet, f.value ORDER BY f.facet, n DESC, f.value",
                [*facets, *params],
            )
            for facet, value, count in cursor.fetchall():
                counts[facet].append(FacetValue(value, count))
        for facet in ("year", "deadline_year"):
            counts[facet].sort(key=lambda item: item.value, reverse=True)
        return counts


def _without_kind(filters: Filters) -> Filters:
    return replace(filters, kind="")


def _where(plan: MatchPlan, filters: Filters) -> tuple[list[str], list]:
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
    if filters.document_ids:
        where.append(f"e.document_id IN ({', '.join(['%s'] * len(filters.document_ids))})")
        params += list(filters.document_ids)
    for facets, names, like in (
        (("issuer", "issuer_code"), filters.issuer_names, filters.issuer_like),
        (("unit", "unit_code"), filters.unit_names, filters.unit_like),
    ):
        if names or like:
            clause, clause_params = _facet_clause(facets, names, like)
            where.append(clause)
            params += clause_params
    if filters.deadline_year is not None:
        clause, clause_params = _facet_clause(("deadline_year",), (str(filters.deadline_year),), "")
        where.append(clause)
        params += clause_params
    return where, params


def _facet_clause(facets: tuple[str, ...], names: tuple[str, ...], like: str) -> tuple[str, list]:
    """An entry has a value of one of ``facets`` among ``names`` (unit names, short names,
    aliases or codes) or containing ``like`` (loose resolution: 机关:财政厅 finds
    自治区财政厅 — issue 4, item 2)."""
    alternatives, params = [], []
    if names:
        alternatives.append(f"f.value IN ({', '.join(['%s'] * len(names))})")
        params += list(names)
    if like:
        alternatives.append(r"f.value LIKE %s ESCAPE '\'")
        params.append(_like(like))
    clause = (
        "EXISTS (SELECT 1 FROM search_facet f WHERE f.entry_id = e.id "
        f"AND f.facet IN ({', '.join(['%s'] * len(facets))}) AND ({' OR '.join(alternatives)}))"
    )
    return clause, [*facets, *params]


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def backend_for(vendor: str) -> Backend:
    """The backend for a Django connection vendor."""
    from shuzheng.search.backends.postgres import PostgresBackend
    from shuzheng.search.backends.sqlite import SqliteBackend

    for backend in (SqliteBackend(), PostgresBackend()):
        if backend.vendor == vendor:
            return backend
    raise RuntimeError(f"search supports SQLite and PostgreSQL, not {vendor}")
