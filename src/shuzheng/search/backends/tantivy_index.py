"""The policy library's search engine: an embedded tantivy index (issue 13, item 1).

Pure module (no Django): it is given plain :class:`IndexDoc` values — an index entry's
pre-segmented token columns and its facets, read from the database by the search services —
and answers a :class:`~shuzheng.search.query.MatchPlan` with :class:`Filters` by the total,
the ranked entry ids of one page and the facet counts. The database stays the source of
truth; the index is a copy the services keep in step (the outbox, ``search.services``) and
can rebuild at any time.

The text fields are fed the segmenter's tokens separated by spaces and cut again by
tantivy's ``whitespace`` tokenizer, so the index and the queries hold exactly the tokens of
``search/segmentation.py`` (domain dictionary included). Facets are raw-tokenised fast
fields counted by one terms aggregation; relevance is BM25 with the column weights the SQL
backends had (title 8, domain terms 3, body 1).

Processes: tantivy allows one writer per index directory (a lock file); any number of
readers, in any process, see a commit after :meth:`TantivyIndex.searcher` reloads. An index
is opened lazily per process id: the production server forks its workers after loading the
application (``--preload``), and tantivy's threads do not survive a fork.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import tantivy
from tantivy import Document, FieldType, Index, Occur, Order, Query

from shuzheng.search.backends.base import FACETS, Filters
from shuzheng.search.items import ALL_KINDS, DATASET, DATASET_FACETS, KINDS
from shuzheng.search.query import FacetValue, MatchPlan, TokenGroup

#: BM25 boosts of the token fields (the SQL backends' bm25 column weights).
FIELD_BOOSTS: dict[str, float] = {"title": 8.0, "body": 1.0, "terms": 3.0}
#: Raw-tokenised fields, one term per value: filters and facets.
RAW_FIELDS = (
    "kind",
    "doc_number",
    "doc_type",
    "validity",
    "issuer",
    "issuer_code",
    "topic",
    "unit",
    "unit_code",
    "deadline_year",
    *DATASET_FACETS,
)
#: Facet values counted per search; more distinct values than this are not listed.
FACET_SIZE = 10_000
#: The writer's memory budget (tantivy splits it between its threads; ≥ 15 MB per thread).
WRITER_HEAP = 64_000_000
#: Documents listed at a time when the whole index is read (``reindex --verify``).
READ_BATCH = 50_000
#: Bits of the date sort key below the day: the kind's rank (2) and the entry id (40).
_ID_BITS = 40
_KIND_RANK = {kind: rank for rank, kind in enumerate(ALL_KINDS)}
#: How a dataset search may order its hits: by relevance, most recently changed first, or
#: by name (``IndexItem.sort_name``).
DATASET_SORTS = ("relevance", "modified", "name")


class IndexBusy(Exception):
    """Another process (or thread) holds the index's one writer."""


@dataclass(frozen=True)
class IndexDoc:
    """One index entry as the engine holds it: ids, the pre-segmented token columns
    (space-separated), the raw text single characters are matched in, and the facets."""

    entry_id: int
    document_id: int
    kind: str
    title_tokens: str = ""
    body_tokens: str = ""
    terms_tokens: str = ""
    raw_text: str = ""
    doc_number: str = ""
    doc_type: str = ""
    validity: str = ""
    year: int | None = None
    published_on: datetime.date | None = None
    is_public: bool = True
    facets: tuple[tuple[str, str], ...] = field(default=())
    sort_name: str = ""

    def digest(self) -> int:
        """A fingerprint of everything the engine stores of the entry: ``reindex --verify``
        compares it with the database's (63 bits, a positive signed integer)."""
        parts = [
            str(self.document_id),
            self.kind,
            self.title_tokens,
            self.body_tokens,
            self.terms_tokens,
            "".join(single_characters(self.raw_text)),
            self.doc_number,
            self.doc_type,
            self.validity,
            str(self.year),
            str(self.published_on),
            str(self.is_public),
            self.sort_name,
            *(f"{facet}={value}" for facet, value in sorted(set(self.facets))),
        ]
        digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).digest()
        return int.from_bytes(digest, "big") >> 1


def single_characters(text: str) -> list[str]:
    """The distinct CJK characters of ``text`` in order of first use: what a one-character
    query (税) is matched against (the SQL backends used ``LIKE '%税%'``)."""
    return list(dict.fromkeys(char for char in text if _is_cjk(char)))


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("entry_id", indexed=True, fast=True)
    builder.add_unsigned_field("document_id", indexed=True, fast=True)
    builder.add_unsigned_field("kind_rank", fast=True)
    builder.add_unsigned_field("date_key", fast=True)
    builder.add_unsigned_field("digest", fast=True)
    for name in FIELD_BOOSTS:
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    builder.add_text_field("chars", tokenizer_name="whitespace", index_option="basic")
    for name in RAW_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_text_field("sort_name", tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_boolean_field("is_public", indexed=True, fast=True)
    return builder.build()


SCHEMA = build_schema()


def date_key(doc: IndexDoc) -> int:
    """One unsigned sort key for "newest first": the day, then the kind (document, section,
    task), then the entry id — an entry without a date sorts last."""
    day = doc.published_on.toordinal() if doc.published_on else 0
    rank = len(ALL_KINDS) - 1 - _KIND_RANK[doc.kind]
    return (day << (_ID_BITS + 2)) | (rank << _ID_BITS) | ((1 << _ID_BITS) - 1 - doc.entry_id)


def to_document(doc: IndexDoc) -> Document:
    values: dict = {
        "entry_id": doc.entry_id,
        "document_id": doc.document_id,
        "kind_rank": _KIND_RANK[doc.kind],
        "date_key": date_key(doc),
        "digest": doc.digest(),
        "title": doc.title_tokens,
        "body": doc.body_tokens,
        "terms": doc.terms_tokens,
        "chars": " ".join(single_characters(doc.raw_text)),
        "kind": doc.kind,
        "is_public": doc.is_public,
    }
    for name in ("doc_number", "doc_type", "validity", "sort_name"):
        if getattr(doc, name):
            values[name] = getattr(doc, name)
    if doc.year is not None:
        values["year"] = doc.year
    listed: dict[str, list[str]] = {}
    for facet, value in dict.fromkeys(doc.facets):
        listed.setdefault(facet, []).append(value)
    return Document.from_dict(values | listed, SCHEMA)


# -- the index of one directory (or in memory) ---------------------------------------------


class TantivyIndex:
    """One tantivy index: on disk under ``path`` (shared by every process), or in memory
    (``path=None``: the small temporary index of a few documents, see services)."""

    def __init__(self, path: Path | None = None):
        self.path = path
        #: True when the directory held an index of another schema (an upgrade added a
        #: field): it was emptied, and the services copy every entry into it again.
        self.schema_replaced = False
        if path is None:
            self.index = Index(SCHEMA)
        else:
            path.mkdir(parents=True, exist_ok=True)
            try:
                self.index = Index(SCHEMA, path=str(path))
            except ValueError as error:
                if "schema does not match" not in str(error):
                    raise
                self.index = Index(SCHEMA, path=str(path), reuse=False)
                self.schema_replaced = True
        self.index.config_reader("Manual")
        self._lock = threading.Lock()

    # -- writing --------------------------------------------------------------------------

    @contextmanager
    def writer(self) -> Iterator[tantivy.IndexWriter]:
        """The index's one writer, committed when the block ends (rolled back on an error);
        raises :class:`IndexBusy` when another process holds it."""
        with self._lock:
            try:
                writer = self.index.writer(WRITER_HEAP, 1)
            except ValueError as error:
                if "LockBusy" in str(error) or "lock" in str(error).lower():
                    raise IndexBusy(str(error)) from error
                raise
            try:
                yield writer
                writer.commit()
                writer.wait_merging_threads()
            except BaseException:
                writer.rollback()
                raise
            finally:
                del writer
        self.index.reload()

    def replace(self, document_ids: Iterable[int] | None, docs: Iterable[IndexDoc]) -> int:
        """The entries of ``document_ids`` (None: every entry) replaced by ``docs`` in one
        commit. Returns the number of entries written."""
        count = 0
        with self.writer() as writer:
            if document_ids is None:
                writer.delete_all_documents()
            else:
                ids = sorted(set(document_ids))
                if ids:
                    writer.delete_documents_by_query(
                        Query.term_set_query(SCHEMA, "document_id", ids)
                    )
            for doc in docs:
                writer.add_document(to_document(doc))
                count += 1
        return count

    # -- reading --------------------------------------------------------------------------

    def searcher(self) -> tantivy.Searcher:
        """A searcher on the last commit of any process (readers reload by hand: cheap when
        nothing changed)."""
        self.index.reload()
        return self.index.searcher()

    def num_docs(self) -> int:
        return self.searcher().num_docs

    def digests(self) -> dict[int, int]:
        """Every entry id in the index and its digest (``reindex --verify``)."""
        searcher = self.searcher()
        found: dict[int, int] = {}
        total = searcher.num_docs
        for offset in range(0, total, READ_BATCH):
            hits = searcher.search(
                Query.all_query(),
                READ_BATCH,
                count=False,
                order_by_field="entry_id",
                offset=offset,
                order=Order.Asc,
            ).hits
            addresses = [address for _key, address in hits]
            ids = searcher.fast_field_values("entry_id", addresses)
            digests = searcher.fast_field_values("digest", addresses)
            found.update(zip(ids, digests, strict=True))
        return found

    def search(
        self, plan: MatchPlan, filters: Filters, *, sort: str, page: int, per_page: int
    ) -> tuple[int, list[tuple[int, float]], dict[str, list[FacetValue]]]:
        """The total, the page's (entry id, score) in order and the facet counts."""
        searcher = self.searcher()
        filters = self.resolve_loose_names(searcher, filters)
        everything = self._query(plan, filters, with_kind=False)
        selected = self._query(plan, filters, with_kind=True)
        offset = (page - 1) * per_page
        if sort == "relevance":
            result = searcher.search(selected, per_page, count=True, offset=offset)
        else:
            result = searcher.search(
                selected, per_page, count=True, order_by_field="date_key", offset=offset
            )
        addresses = [address for _key, address in result.hits]
        ids = searcher.fast_field_values("entry_id", addresses)
        if sort == "relevance":
            ranks = searcher.fast_field_values("kind_rank", addresses)
            scored = sorted(
                zip(ids, ranks, (float(key) for key, _ in result.hits), strict=True),
                key=lambda hit: (-hit[2], hit[1], hit[0]),
            )
            ranked = [(entry_id, score) for entry_id, _rank, score in scored]
        else:
            ranked = [(entry_id, 0.0) for entry_id in ids]
        facets = self._facets(searcher, everything, filters.kind)
        return result.count, ranked, facets

    def find(
        self,
        plan: MatchPlan,
        filters: Filters,
        *,
        sort: str,
        offset: int,
        limit: int,
        facets: tuple[str, ...],
    ) -> tuple[int, list[tuple[int, float]], dict[str, list[FacetValue]]]:
        """A search of one kind of group (the datasets) by offset: the total, the hits'
        (group id, score) in order and the counts of ``facets`` over every hit."""
        if sort not in DATASET_SORTS:
            raise ValueError(f"sort must be one of {', '.join(DATASET_SORTS)}, not {sort!r}")
        searcher = self.searcher()
        query = self._query(plan, filters, with_kind=True)
        if sort == "relevance":
            result = searcher.search(query, limit, count=True, offset=offset)
        elif sort == "modified":
            result = searcher.search(
                query, limit, count=True, order_by_field="date_key", offset=offset
            )
        else:
            result = searcher.search(
                query, limit, count=True, order_by_field="sort_name", offset=offset, order=Order.Asc
            )
        addresses = [address for _key, address in result.hits]
        groups = searcher.fast_field_values("document_id", addresses)
        if sort == "relevance":
            scores = [float(key) for key, _address in result.hits]
            ranked = sorted(zip(groups, scores, strict=True), key=lambda hit: (-hit[1], hit[0]))
        else:
            ranked = [(group, 0.0) for group in groups]
        counts: dict[str, list[FacetValue]] = {}
        if facets and result.count:
            aggregation = {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in facets}
            found = searcher.aggregate(query, aggregation)
            for name in facets:
                values = Counter({str(b["key"]): b["doc_count"] for b in found[name]["buckets"]})
                counts[name] = _ordered(name, values)
        else:
            counts = {name: [] for name in facets}
        return result.count, ranked, counts

    def resolve_loose_names(self, searcher, filters: Filters) -> Filters:
        """ "A name containing 财政厅" (issuer_like, unit_like) → the indexed issuer and unit
        values (and codes) containing it, added to the resolved names."""
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
                term
                for facet in facets
                for term, _count in searcher.terms_with_prefix(facet, "")
                if wanted in term.casefold()
            ]
            names = tuple(dict.fromkeys((*getattr(filters, names_field), *found)))
            resolved |= {like_field: "", names_field: names or (like,)}
        return replace(filters, **resolved) if resolved else filters

    # -- the query ------------------------------------------------------------------------

    def _query(self, plan: MatchPlan, filters: Filters, *, with_kind: bool) -> Query:
        must: list[Query] = []
        must_not: list[Query] = []
        must += [_group_query(group) for group in plan.groups]
        must_not += [_group_query(group) for group in plan.excluded]
        must += [Query.term_query(SCHEMA, "chars", char) for char in plan.substrings]
        must_not += [Query.term_query(SCHEMA, "chars", char) for char in plan.excluded_substrings]
        conditions = _filter_queries(filters, with_kind=with_kind)
        if not must:
            must.append(Query.all_query())
        clauses = [(Occur.Must, query) for query in must]
        clauses += [(Occur.Must, Query.const_score_query(query, 0.0)) for query in conditions]
        clauses += [(Occur.MustNot, query) for query in must_not]
        return Query.boolean_query(clauses)

    def _facets(self, searcher, query: Query, kind: str) -> dict[str, list[FacetValue]]:
        """Counts of every facet: the level over every kind, the others over the selected
        kind's entries (one aggregation, by kind, then by each facet)."""
        sub = {
            name: {"terms": {"field": name, "size": FACET_SIZE}}
            for name in FACETS
            if name != "kind"
        }
        aggregation = {"kind": {"terms": {"field": "kind", "size": len(KINDS)}, "aggs": sub}}
        buckets = searcher.aggregate(query, aggregation)["kind"]["buckets"]
        counts: dict[str, Counter] = {name: Counter() for name in FACETS}
        for bucket in buckets:
            counts["kind"][bucket["key"]] += bucket["doc_count"]
            if kind and bucket["key"] != kind:
                continue
            for name in sub:
                for value in bucket[name]["buckets"]:
                    key = value["key"]
                    if isinstance(key, float):
                        key = int(key)
                    counts[name][str(key)] += value["doc_count"]
        return {name: _ordered(name, found) for name, found in counts.items()}


def _ordered(facet: str, counts: Counter) -> list[FacetValue]:
    """Most frequent first (ties by value); years newest first."""
    if facet in ("year", "deadline_year"):
        items = sorted(counts.items(), reverse=True)
    else:
        items = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [FacetValue(value, count) for value, count in items if count]


def _boosts(scope: str) -> dict[str, float]:
    """The fields a group looks in: all of them, or the one its scope (标题:, 正文:) names."""
    return {scope: FIELD_BOOSTS[scope]} if scope else FIELD_BOOSTS


def _token_query(token: str, scope: str = "") -> Query:
    return Query.boolean_query(
        [
            (Occur.Should, Query.boost_query(Query.term_query(SCHEMA, name, token), boost))
            for name, boost in _boosts(scope).items()
        ]
    )


def _phrase_query(tokens: tuple[str, ...], scope: str = "") -> Query:
    return Query.boolean_query(
        [
            (Occur.Should, Query.boost_query(Query.phrase_query(SCHEMA, name, list(tokens)), boost))
            for name, boost in _boosts(scope).items()
        ]
    )


def _group_query(group: TokenGroup) -> Query:
    """A token group: every token in some field (or the phrase in one field); a domain term
    also matches as one token of the terms field."""
    if group.phrase:
        query = _phrase_query(group.tokens, group.scope)
    elif len(group.tokens) == 1:
        query = _token_query(group.tokens[0], group.scope)
    else:
        query = Query.boolean_query(
            [(Occur.Must, _token_query(token, group.scope)) for token in group.tokens]
        )
    if group.term:
        term = Query.boost_query(
            Query.term_query(SCHEMA, "terms", group.term), FIELD_BOOSTS["terms"]
        )
        query = Query.boolean_query([(Occur.Should, query), (Occur.Should, term)])
    if group.alternatives:
        # The word's expansions (search.query.expand_query): any of them in its place.
        query = Query.boolean_query(
            [(Occur.Should, query)]
            + [(Occur.Should, _group_query(alternative)) for alternative in group.alternatives]
        )
    return query


def _filter_queries(filters: Filters, *, with_kind: bool) -> list[Query]:
    if filters.issuer_like or filters.unit_like:
        raise ValueError("loose unit names must be resolved first (resolve_loose_names)")
    queries: list[Query] = [_scope_query(filters.kind)]
    if filters.public_only:
        queries.append(Query.term_query(SCHEMA, "is_public", True))
    for name, value in (
        ("kind", filters.kind if with_kind else ""),
        ("doc_number", filters.number),
        ("doc_type", filters.doc_type),
        ("validity", filters.validity),
    ):
        if value:
            queries.append(Query.term_query(SCHEMA, name, value))
    if filters.year is not None:
        queries.append(Query.term_query(SCHEMA, "year", filters.year))
    if filters.date_from is not None or filters.date_to is not None:
        # The day is the top of the "newest first" key (date_key): a range of days is a
        # range of keys; an entry without a date (day 0) falls outside every range.
        first = filters.date_from.toordinal() if filters.date_from else 1
        last = filters.date_to.toordinal() if filters.date_to else datetime.date.max.toordinal()
        shift = _ID_BITS + 2
        queries.append(
            Query.range_query(
                SCHEMA, "date_key", FieldType.Unsigned, first << shift, ((last + 1) << shift) - 1
            )
        )
    if filters.document_ids:
        queries.append(Query.term_set_query(SCHEMA, "document_id", list(filters.document_ids)))
    for names, facets in (
        (filters.issuer_names, ("issuer", "issuer_code")),
        (filters.unit_names, ("unit", "unit_code")),
    ):
        if names:
            queries.append(
                Query.boolean_query(
                    [
                        (Occur.Should, Query.term_set_query(SCHEMA, facet, list(names)))
                        for facet in facets
                    ]
                )
            )
    if filters.topics:
        queries.append(Query.term_set_query(SCHEMA, "topic", list(filters.topics)))
    if filters.deadline_year is not None:
        queries.append(Query.term_query(SCHEMA, "deadline_year", str(filters.deadline_year)))
    for facet, values in filters.facet_values:
        queries.append(Query.term_set_query(SCHEMA, facet, list(values)))
    return queries


def _scope_query(kind: str) -> Query:
    """Datasets and the policy library are searched apart: a dataset search sees datasets
    only, any other search (whatever its level) everything but datasets."""
    dataset = Query.term_query(SCHEMA, "kind", DATASET)
    if kind == DATASET:
        return dataset
    return Query.boolean_query([(Occur.Must, Query.all_query()), (Occur.MustNot, dataset)])


# -- one index per directory and process ----------------------------------------------------

_open: dict[tuple[int, str], TantivyIndex] = {}
_open_lock = threading.Lock()


def index_at(path: Path) -> TantivyIndex:
    """The process's index of ``path``, opened on first use (after a fork: a new one)."""
    key = (os.getpid(), str(path))
    with _open_lock:
        if key not in _open:
            _open[key] = TantivyIndex(path)
        return _open[key]
