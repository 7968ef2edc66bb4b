"""What a search backend is: the one interface both full-text engines implement, and the
values that pass between the shared SQL (backends/sql.py) and them.

A backend supplies only the full-text part of a search: the FROM clause with the match,
the relevance score and its per-connection tuning (:class:`FullText`). Everything else —
filters, facets, totals, ordering, paging — is the shared SQL, so both engines return the
same totals, facets and order for the same index (tests/search runs every test on both).
"""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from shuzheng.search.query import MatchPlan

#: Facets counted over the matched set (issue 4, item 3), in display order.
FACETS: tuple[str, ...] = (
    "kind",
    "issuer",
    "year",
    "doc_type",
    "topic",
    "validity",
    "unit",
    "deadline_year",
)
#: Facets that are columns of the entry, counted by one GROUP BY (kind first).
COLUMN_FACETS: tuple[str, ...] = ("kind", "year", "doc_type", "validity")
#: Facets an entry may have several values of: rows of ``search_facet``.
LISTED_FACETS: tuple[str, ...] = ("issuer", "topic", "unit", "deadline_year")


@dataclass(frozen=True)
class Filters:
    """Facet filters in their resolved form: exact values, or name lists for units."""

    kind: str = ""
    number: str = ""
    issuer_names: tuple[str, ...] = ()
    issuer_like: str = ""
    year: int | None = None
    doc_type: str = ""
    #: 主题分类 codes, any of which an entry must have.
    topics: tuple[str, ...] = ()
    validity: str = ""
    unit_names: tuple[str, ...] = ()
    unit_like: str = ""
    deadline_year: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    document_ids: tuple[int, ...] = ()
    public_only: bool = True
    #: Further facets' accepted values, (facet, values) pairs: any of a facet's values, every
    #: facet (the dataset search's provider, format …; the tantivy engine only).
    facet_values: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class MatchSql:
    """A backend's full-text part of the query: FROM clause (the entry table aliased ``e``),
    score expression, and an optional extra WHERE condition, each with its parameters.
    ``entry_id`` is the expression facet filters test: SQLite tests the full-text rowid,
    before the matched row joins the entry (see backends/sqlite.py)."""

    source: str = "search_entry e"
    score: str = "0.0"
    params: list = field(default_factory=list)
    condition: str = ""
    condition_params: list = field(default_factory=list)
    entry_id: str = "e.id"


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


class FullText(ABC):
    """The full-text engine of one database vendor (SQLite FTS5, PostgreSQL tsvector)."""

    #: The Django connection vendor this engine runs on.
    vendor = ""
    #: How the listed-facet join tests ``search_facet.facet`` (SQLite hides it from the
    #: index, see backends/sqlite.py).
    facet_column = "f.facet"

    @abstractmethod
    def match_sql(self, plan: MatchPlan, *, ranked: bool) -> MatchSql:
        """The FROM clause, score (when ``ranked``) and condition for the entries matching
        the plan's full-text groups. Only called when the plan has groups or exclusions."""

    @abstractmethod
    def prepare(self, cursor) -> None:
        """Per-connection tuning before a search (SQLite sets its cache pragmas)."""
