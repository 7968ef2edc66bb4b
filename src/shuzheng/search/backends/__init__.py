"""One search interface, two in-database backends (ARCHITECTURE.md: "one search interface
with two backends"): SQLite FTS5 embedded by default, PostgreSQL full text in production.

The package's parts: ``base`` (the :class:`FullText` interface and the values passed
around), ``sql`` (the SQL both share, behind :class:`Backend`), ``sqlite`` and ``postgres``
(the two full-text engines). :func:`backend_for` picks the engine for a connection.
"""

from __future__ import annotations

from shuzheng.search.backends.base import (
    COLUMN_FACETS,
    FACETS,
    LISTED_FACETS,
    Filters,
    FullText,
    MatchSql,
    Row,
)
from shuzheng.search.backends.postgres import PostgresFullText
from shuzheng.search.backends.sql import Backend, column_domains, distinct_facet_values
from shuzheng.search.backends.sqlite import SqliteFullText

__all__ = [
    "COLUMN_FACETS",
    "FACETS",
    "LISTED_FACETS",
    "Backend",
    "Filters",
    "FullText",
    "MatchSql",
    "Row",
    "backend_for",
    "column_domains",
    "distinct_facet_values",
]

#: The full-text engine of each Django connection vendor.
ENGINES: dict[str, type[FullText]] = {
    engine.vendor: engine for engine in (SqliteFullText, PostgresFullText)
}


def backend_for(vendor: str) -> Backend:
    """The backend for a Django connection vendor."""
    if vendor not in ENGINES:
        raise RuntimeError(f"search supports SQLite and PostgreSQL, not {vendor}")
    return Backend(ENGINES[vendor]())
