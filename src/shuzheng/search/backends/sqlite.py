"""SQLite FTS5 backend: the embedded default (issue 4, item 3).

The FTS5 table ``search_entry_fts`` (migration 0002) indexes the pre-segmented title,
body and domain-term columns. Relevance is ``bm25()`` with column weights that lift a
match in the title or heading above one in the body, and a domain term used as such
(一网通办 as one token) above a text that merely contains its parts.

Speed (bench/search_bench.py, docs/benchmarks.md#search): the matched rowids join
``search_entry`` through the covering index ``search_entry_filter`` (migration 0003) —
the entry rows hold the text and its tokens, so reading the filter and facet columns
from the table itself costs three times as much per matched entry. Issuer, unit and
deadline filters are tested on the full-text rowid, so a broad word with a narrow filter
joins only the entries that pass (bench: 15 → 5 ms for 数字 机关:….). Each search sets the
connection's page cache and memory map (:data:`PRAGMAS`).
"""

from __future__ import annotations

from shuzheng.search.backends.base import FullText, MatchSql
from shuzheng.search.query import MatchPlan, TokenGroup

#: bm25 weights of (title_tokens, body_tokens, terms_tokens).
COLUMN_WEIGHTS = (8.0, 1.0, 3.0)
#: The FTS5 column of each word scope (``query.SCOPES``).
SCOPE_COLUMNS = {"title": "title_tokens", "body": "body_tokens"}
#: Connection settings for searching a large index: a 64 MiB page cache and the file memory
#: mapped (256 MiB). (temp_store cannot be changed inside a transaction, and a search may
#: run inside one.)
PRAGMAS = ("cache_size = -65536", "mmap_size = 268435456")
#: The narrow covering index over the columns filters, facets and ordering read.
FILTER_INDEX = "search_entry_filter"


class SqliteFullText(FullText):
    vendor = "sqlite"
    #: The unary + keeps the listed-facet join to one seek of an entry's facet rows by
    #: entry id; with ``f.facet IN (…)`` as an index term SQLite seeks once per facet name
    #: (bench: 118 → 67–92 ms for the facets of 32,000 matches of 全区).
    facet_column = "+f.facet"

    def prepare(self, cursor) -> None:
        for pragma in PRAGMAS:
            cursor.execute(f"PRAGMA {pragma}")

    def match_sql(self, plan: MatchPlan, *, ranked: bool) -> MatchSql:
        weights = ", ".join(str(weight) for weight in COLUMN_WEIGHTS)
        if plan.groups:
            expression = fts5_expression(plan)
            source = (
                f"search_entry_fts JOIN search_entry e INDEXED BY {FILTER_INDEX} "
                "ON e.id = search_entry_fts.rowid "
                "AND search_entry_fts MATCH %s"
            )
            score = f"-bm25(search_entry_fts, {weights})" if ranked else "0.0"
            # Facet filters test the rowid while FTS5 walks its matches, before the join;
            # the unary + keeps FTS5 from taking the IN list as rowid lookups (one index
            # probe per value of a large list).
            return MatchSql(source, score, [expression], entry_id="+search_entry_fts.rowid")
        # Only exclusions: every entry except the excluded ones (FTS5 NOT is binary).
        excluded = " OR ".join(_group(group) for group in plan.excluded)
        condition = (
            "e.id NOT IN (SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s)"
        )
        return MatchSql("search_entry e", "0.0", [], condition, [excluded])


def fts5_expression(plan: MatchPlan) -> str:
    """The FTS5 MATCH expression: all groups AND-ed, exclusions after NOT."""
    expression = " AND ".join(_group(group) for group in plan.groups)
    if plan.excluded:
        expression = f"({expression}) NOT ({' OR '.join(_group(g) for g in plan.excluded)})"
    return expression


def _group(group: TokenGroup) -> str:
    # Tokens hold only letters, digits and CJK (segmentation), so quoting cannot break out.
    if group.phrase:
        match = '"' + " ".join(group.tokens) + '"'
    else:
        match = "(" + " AND ".join(f'"{token}"' for token in group.tokens) + ")"
    if group.scope:
        # An FTS5 column filter over the whole group (标题: / 正文:).
        match = f"{SCOPE_COLUMNS[group.scope]} : {match}"
    if group.term:
        match = f'({match} OR terms_tokens : "{group.term}")'
    if group.alternatives:
        match = "(" + " OR ".join([match, *map(_group, group.alternatives)]) + ")"
    return match
