"""Use cases of the policy library search ("一库通查", issue 4, items 1–3).

The only place that writes the index. The documents service calls
:func:`replace_document_entries` after each ingest (a re-ingest or a new version replaces
the document's entries at once) and :func:`delete_document_entries` when a document goes;
:func:`rebuild` re-creates the whole index, e.g. after the domain dictionary has grown.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max

from shuzheng.audit.services import record_change
from shuzheng.orgs.services import get_resolver
from shuzheng.search.backends import Filters, Row
from shuzheng.search.backends.tantivy_index import IndexBusy, IndexDoc, TantivyIndex, index_at
from shuzheng.search.items import DATASET, DOCUMENT, TASK, IndexItem, dataset_of_group
from shuzheng.search.matcher import ItemFilters, MatchableItem, NameFilter
from shuzheng.search.models import SearchEntry, SearchFacet, SearchOutbox, SearchTerm
from shuzheng.search.query import (
    FacetValue,
    Hit,
    MatchPlan,
    QueryError,
    SearchQuery,
    SearchResults,
    expand_query,
    expansion_table,
    match_plan,
)
from shuzheng.search.segmentation import Segmenter, quoted_terms
from shuzheng.search.snippets import make_snippet
from shuzheng.text.titles import first_words

BATCH_SIZE = 2000
#: Outbox rows applied to the engine in one commit.
OUTBOX_BATCH = 500
#: Entries read from the database at a time when the whole index is copied to the engine.
COPY_BATCH = 5000
logger = logging.getLogger(__name__)
#: Roles' permission that lets signed-in government staff find non-public documents.
NON_PUBLIC_PERMISSION = "view_unit_work"


# -- unit names and the domain dictionary -------------------------------------------------


def resolve_unit_names(text: str) -> tuple[str, ...]:
    """Every name and code of the units ``text`` loosely names, read from orgs' one
    resolver (``Registry.loosely_named``): "机关:财政厅" finds 自治区财政厅 (issue 4, item 2)."""
    found: list[str] = []
    for unit in get_resolver().loosely_named(text):
        found += [unit.code, *unit.all_names]
    return tuple(dict.fromkeys(found))


SYNONYMS_FILE = Path(__file__).resolve().parent / "data" / "synonyms.json"
_expansions_cache: dict = {}


def expansions() -> dict[str, tuple[str, ...]]:
    """Word → equivalent spellings for query expansion (issue 13, point 6): the synonym and
    abbreviation groups of ``data/synonyms.json`` plus, for every registry unit, its full
    name, short name and aliases (from orgs' resolver, rebuilt when the registry changes)."""
    resolver = get_resolver()
    with _segmenter_lock:
        if _expansions_cache.get("resolver") is not resolver:
            data = json.loads(SYNONYMS_FILE.read_text(encoding="utf-8"))
            groups = [group["terms"] for group in data["groups"]]
            groups += [unit.all_names for unit in resolver.units.values()]
            _expansions_cache["table"] = expansion_table(groups)
            _expansions_cache["resolver"] = resolver
        return _expansions_cache["table"]


_segmenter_lock = threading.Lock()
#: The cached segmenter's version while it holds terms not stored yet: never current.
STALE = "stale"
_segmenter_state: dict = {}


def segmenter() -> Segmenter:
    """The process's segmenter with the current domain dictionary: unit names from the
    registry (orgs' resolver) plus the terms learnt from indexed text (SearchTerm). Reloaded
    when another process has added terms, so index and queries are cut alike everywhere.
    (Not on every registry change: the resolver's change check would add three queries to
    every search, and an ingest adds its units' names as terms anyway.)"""
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM search_term")
        (version,) = cursor.fetchone()
    with _segmenter_lock:
        if _segmenter_state.get("version", -1) != version or "segmenter" not in _segmenter_state:
            units = get_resolver().units.values()
            unit_terms = [name for unit in units for name in unit.all_names]
            stored = SearchTerm.objects.values_list("term", flat=True)
            _segmenter_state["segmenter"] = Segmenter([*unit_terms, *stored])
            _segmenter_state["version"] = version
        return _segmenter_state["segmenter"]


def learn_terms(items: list[IndexItem]) -> Segmenter:
    """Add the items' quoted terms and unit names to the shared dictionary before they are
    segmented (issue 4, item 1: the dictionary grows from the library itself)."""
    seg, terms = segmenter_for(items)
    store_terms(terms, seg)
    return seg


def segmenter_for(items: list[IndexItem]) -> tuple[Segmenter, dict[str, str]]:
    """The process's segmenter with the items' new terms added in memory, and those terms
    (term → source) for :func:`store_terms` to write. Reads only, so ingestion segments
    before its transaction (issue 9, item 5); until the terms are stored the cached
    segmenter counts as stale, so a rolled-back ingestion leaves no term behind."""
    found: dict[str, str] = {}
    for item in items:
        for name in (*item.issuers, *item.unit_names):
            found.setdefault(name, "unit")
        for term in quoted_terms(item.body):
            found.setdefault(term, "quoted")
    current = segmenter()
    new = {term: found[term] for term in found if current.as_term(term) == "" and len(term) <= 64}
    if new:
        current.add_terms(new)
        with _segmenter_lock:
            _segmenter_state["version"] = STALE
    return current, new


def store_terms(terms: dict[str, str], seg: Segmenter) -> None:
    """Write the terms :func:`segmenter_for` learnt; the cached segmenter is current again."""
    if not terms:
        return
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=term, source=source) for term, source in terms.items()],
        ignore_conflicts=True,
        batch_size=BATCH_SIZE,
    )
    with _segmenter_lock:
        if _segmenter_state.get("segmenter") is seg:
            _segmenter_state["version"] = SearchTerm.objects.aggregate(top=Max("id"))["top"]


# -- writing the index ---------------------------------------------------------------------


def _title_text(item: IndexItem) -> str:
    """What the heavily weighted title column holds: for a document its title and doc
    number, for a section its heading, for a task its category and number, for a dataset its
    title. The document's title and number stay out of its sections: they would match every
    section alike."""
    if item.kind in (DOCUMENT, DATASET):
        parts = (item.title, item.doc_number)
    else:
        parts = (item.heading, item.task_number)
    return " ".join(part for part in parts if part)


@dataclass(frozen=True)
class Segmented:
    """An item's token columns: what segmentation makes of it, whatever its ids."""

    title_tokens: str
    body_tokens: str
    terms_tokens: str


def segment(item: IndexItem, seg: Segmenter) -> Segmented:
    title_text = _title_text(item)
    return Segmented(
        title_tokens=" ".join(seg.tokens(title_text)),
        body_tokens=" ".join(seg.tokens(item.body)),
        terms_tokens=" ".join(seg.domain_terms_in(f"{title_text} {item.body}")),
    )


#: What an item may only learn when its rows are written: the ids, and the dates a stored
#: gazette decides. Everything else of a prepared entry is final.
WRITE_TIME_FIELDS = ("object_id", "document_id", "year", "published_on")


@dataclass
class PreparedEntries:
    """A document's index entries built outside the write transaction: unsaved entry and
    facet rows (the facets pointing at their entries) of ``items``, whose ids may still be
    placeholders. :func:`write_entries` writes them."""

    items: list[IndexItem]
    entries: list[SearchEntry]
    facets: list[SearchFacet]

    def with_items(self, items: list[IndexItem]) -> PreparedEntries:
        """The entries of ``items``: the prepared items with their write-time fields (ids,
        dates) filled in, in the same order."""
        if len(items) != len(self.items):
            raise ValueError("the items must be the ones the entries were prepared for")
        for entry, item in zip(self.entries, items, strict=True):
            for name in WRITE_TIME_FIELDS:
                setattr(entry, name, getattr(item, name))
        return replace(self, items=list(items))


def _prepared_entries(items: list[IndexItem], seg: Segmenter) -> PreparedEntries:
    # Every run of the items' text cut once, in one call: the document's body holds its
    # sections' text again (issue 13, item 3).
    seg.prepare(text for item in items for text in (_title_text(item), item.body))
    entries = [_entry(item, segment(item, seg)) for item in items]
    facets = [
        SearchFacet(entry=entry, facet=facet, value=value[:200])
        for entry, item in zip(entries, items, strict=True)
        for facet, value in _facet_values(item)
    ]
    return PreparedEntries(items, entries, facets)


@dataclass
class PreparedIndex:
    """The entries of several documents, segmented with one dictionary, and the terms that
    dictionary learnt from them: :func:`store_terms` writes those once."""

    seg: Segmenter
    terms: dict[str, str]
    entries: list[PreparedEntries]


def prepare_index(groups: list[list[IndexItem]]) -> PreparedIndex:
    """Segment the items of several documents (one group each) with one dictionary: the
    costly part of indexing, done before the write transaction (issue 9, item 5)."""
    seg, terms = segmenter_for([item for group in groups for item in group])
    return PreparedIndex(seg, terms, [_prepared_entries(group, seg) for group in groups])


def _entry(item: IndexItem, segmented: Segmented) -> SearchEntry:
    return SearchEntry(
        kind=item.kind,
        object_id=item.object_id,
        document_id=item.document_id,
        title=item.title,
        doc_number=item.doc_number,
        heading=item.heading,
        path=item.path,
        anchor=item.anchor,
        task_number=item.task_number,
        body=item.body,
        year=item.year,
        doc_type=item.doc_type,
        validity=item.validity,
        published_on=item.published_on,
        is_public=item.is_public,
        sort_name=item.sort_name[:100],
        title_tokens=segmented.title_tokens,
        body_tokens=segmented.body_tokens,
        terms_tokens=segmented.terms_tokens,
    )


def _facet_values(item: IndexItem) -> list[tuple[str, str]]:
    """The facets an entry may have several values of. Kind, year, document type and
    validity are columns of the entry: filtered and counted there (backends.COLUMN_FACETS)."""
    values = [("issuer", name) for name in item.issuers]
    values += [("issuer_code", code) for code in item.issuer_codes]
    values += [("topic", code) for code in item.topics]
    values += [("unit", name) for name in item.unit_names]
    values += [("unit_code", code) for code in item.unit_codes]
    values += [("deadline_year", str(year)) for year in item.deadline_years]
    values += list(item.facets)
    return list(dict.fromkeys(values))


def _insert(prepared: PreparedEntries) -> int:
    SearchEntry.objects.bulk_create(prepared.entries, batch_size=BATCH_SIZE)
    SearchFacet.objects.bulk_create(prepared.facets, batch_size=BATCH_SIZE)
    return len(prepared.entries)


def _check_document(document_id: int, items: list[IndexItem]) -> None:
    strangers = {item.document_id for item in items} - {document_id}
    if strangers:
        raise ValueError(
            f"items of document(s) {sorted(strangers)} passed to the index of document "
            f"{document_id}"
        )


def replace_document_entries(document_id: int, items: Iterable[IndexItem], *, actor=None) -> int:
    """Replace all index entries of one document with ``items`` in one transaction (a
    re-ingest or a new version: no moment with both or neither). Returns the entry count."""
    items = list(items)
    _check_document(document_id, items)
    prepared = prepare_index([items])
    with transaction.atomic():
        store_terms(prepared.terms, prepared.seg)
        return write_entries(document_id, prepared.entries[0], actor=actor)


def write_entries(document_id: int, prepared: PreparedEntries, *, actor=None) -> int:
    """Replace the document's entries with ``prepared`` ones, in the caller's transaction:
    the short write of indexing (issue 9, item 5). Returns the entry count."""
    _check_document(document_id, prepared.items)
    removed = (
        SearchEntry.objects.filter(document_id=document_id).delete()[1].get("search.SearchEntry", 0)
    )
    count = _insert(prepared)
    queue_changes([document_id])
    record_change(
        actor=actor,
        action="search.replace_document_entries",
        object_type="search.document_entries",
        object_id=document_id,
        object_repr=prepared.items[0].title if prepared.items else f"document {document_id}",
        before={"entries": removed},
        after={"entries": count},
    )
    return count


def delete_document_entries(document_id: int, *, actor=None) -> int:
    """Remove a document from the index (withdrawn, deleted). Returns the entries removed."""
    with transaction.atomic():
        removed = (
            SearchEntry.objects.filter(document_id=document_id)
            .delete()[1]
            .get("search.SearchEntry", 0)
        )
        if removed:
            queue_changes([document_id])
            record_change(
                actor=actor,
                action="search.delete_document_entries",
                object_type="search.document_entries",
                object_id=document_id,
                object_repr=f"document {document_id}",
                before={"entries": removed},
                after=None,
            )
    return removed


def rebuild(items: Iterable[IndexItem], *, actor=None) -> int:
    """Re-create the whole index from ``items``: the dictionary is learnt from all items
    first, so every entry is segmented with the same, complete dictionary."""
    items = list(items)
    with transaction.atomic():
        seg = learn_terms(items)
        removed = SearchEntry.objects.count()
        SearchFacet.objects.all().delete()
        SearchEntry.objects.all().delete()
        count = sum(
            _insert(_prepared_entries(items[start : start + BATCH_SIZE], seg))
            for start in range(0, len(items), BATCH_SIZE)
        )
        queue_changes([None])
        record_change(
            actor=actor,
            action="search.rebuild",
            object_type="search.index",
            object_repr="policy library index",
            before={"entries": removed},
            after={"entries": count},
        )
    return count


# -- searching -----------------------------------------------------------------------------


def may_see_non_public(user) -> bool:
    """Non-public documents are found only by signed-in government roles (issue 4, item 5):
    those holding ``view_unit_work``."""
    return user is not None and user.has_perm(NON_PUBLIC_PERMISSION)


def search(query: SearchQuery, *, user=None) -> SearchResults:
    """Run a search; raises ``QueryError`` (with a message for the person) on bad input.

    The engine answers ids, scores, the total and the facets; the page's entries are read
    from the database by id. A search restricted to a few documents (``document_ids``: the
    subscriptions' look at what an ingest just stored, before it commits) runs on a small
    temporary index of those documents' entries as the database holds them now."""
    query, parsed = query.with_text_filters()
    plan = match_plan(expand_query(parsed, expansions()), segmenter())
    filters = _filters(query, public_only=not may_see_non_public(user))
    if query.document_ids:
        index = temporary_index(query.document_ids)
    else:
        catch_up()
        index = engine()
    total, ranked, facets = index.search(
        plan, filters, sort=query.sort, page=query.page, per_page=query.per_page
    )
    hits = [_hit(row, plan) for row in entry_rows(ranked)]
    return SearchResults(total, query.page, query.per_page, hits, facets)


_ROW_FIELDS = (
    "id",
    "kind",
    "object_id",
    "document_id",
    "title",
    "doc_number",
    "heading",
    "path",
    "anchor",
    "task_number",
    "body",
    "published_on",
)


@dataclass(frozen=True)
class DatasetHits:
    """What a dataset search found: the total, the resource ids of the hits asked for, in
    order, and the counts of the facets asked for (over every hit)."""

    total: int
    resource_ids: list[int]
    facets: dict[str, list[FacetValue]]


def find_datasets(
    text: str,
    *,
    facet_values: dict[str, Collection[str]],
    facets: Collection[str],
    sort: str,
    offset: int,
    limit: int,
    public_only: bool,
) -> DatasetHits:
    """Search the catalog's datasets (issue 11, item 5) with the library's query language
    and segmentation; ``facet_values`` keeps the hits having, for every facet named, one of
    its values. Raises ``QueryError`` on bad text."""
    _query, parsed = SearchQuery(text=text).with_text_filters()
    # No words, nothing to expand: the expansions' registry check costs three queries
    # (bench/package_search_bench.py).
    table = expansions() if parsed.words else {}
    plan = match_plan(expand_query(parsed, table), segmenter())
    filters = Filters(
        kind=DATASET,
        public_only=public_only,
        facet_values=tuple(
            (facet, tuple(values)) for facet, values in facet_values.items() if values
        ),
    )
    catch_up()
    total, ranked, counts = engine().find(
        plan, filters, sort=sort, offset=offset, limit=limit, facets=tuple(facets)
    )
    ids = [dataset_of_group(group) for group, _score in ranked]
    return DatasetHits(total, [i for i in ids if i is not None], counts)


def entry_rows(ranked: list[tuple[int, float]]) -> list[Row]:
    """The page's entries in the engine's order; an entry the database no longer has (its
    removal not applied to the engine yet) is left out. Plain SQL: the ORM's query building
    cost more than the engine's whole search (bench/search_bench.py)."""
    if not ranked:
        return []
    ids = [entry_id for entry_id, _score in ranked]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(_ROW_FIELDS)} FROM search_entry "
            f"WHERE id IN ({', '.join(['%s'] * len(ids))})",
            ids,
        )
        by_id = {values[0]: values[1:] for values in cursor.fetchall()}
    return [Row(score, *by_id[entry_id]) for entry_id, score in ranked if entry_id in by_id]


# -- the engine and its outbox ----------------------------------------------------------------


_memory_engine: list[TantivyIndex] = []


def engine() -> TantivyIndex:
    """The search engine's index of this installation (``SEARCH_INDEX_DIR``), opened once
    per process; in memory when ``SEARCH_INDEX_IN_MEMORY`` (the tests: each its own, see
    :func:`forget_memory_engine`, and no disk commit per write)."""
    if settings.SEARCH_INDEX_IN_MEMORY:
        if not _memory_engine:
            _memory_engine.append(TantivyIndex(None))
        return _memory_engine[0]
    index = index_at(settings.SEARCH_INDEX_DIR)
    if index.schema_replaced:
        # An upgrade changed the engine's fields and emptied its directory: copy every
        # entry into it again through the outbox (the database is the source of truth).
        index.schema_replaced = False
        SearchOutbox.objects.create(document_id=None)
    return index


def forget_memory_engine() -> None:
    """Drop the in-memory index (a test's database is rolled back, so is its index)."""
    _memory_engine.clear()
    _caught_up.clear()


def queue_changes(document_ids: Collection[int | None]) -> None:
    """Record in the caller's transaction that these documents' entries changed (None: the
    whole index), and apply the change to the engine once the transaction commits —
    or at once when ``SEARCH_INDEX_AT_ONCE`` (tests). A change the committing process cannot
    apply (another one holds the engine's writer, the process dies) stays in the outbox
    for the worker's job or the next writer."""
    SearchOutbox.objects.bulk_create([SearchOutbox(document_id=i) for i in document_ids])
    if settings.SEARCH_INDEX_AT_ONCE:
        apply_outbox()
    else:
        transaction.on_commit(apply_outbox_quietly)


def apply_outbox(*, wait: float = 0.0) -> int:
    """Apply the outbox to the engine: the entries of each queued document as the database
    holds them now (a whole-index row copies every entry), in one commit per batch, then
    the applied rows go. Idempotent; raises :class:`IndexBusy` when another process holds
    the writer for longer than ``wait`` seconds. Returns the rows applied."""
    index = engine()
    applied = 0
    while True:
        rows = list(
            SearchOutbox.objects.order_by("id").values_list("id", "document_id")[:OUTBOX_BATCH]
        )
        if not rows:
            return applied
        whole = any(document_id is None for _row, document_id in rows)
        ids = None if whole else sorted({document_id for _row, document_id in rows})
        deadline = time.monotonic() + wait
        while True:
            try:
                index.replace(ids, index_docs(ids))
                break
            except IndexBusy:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.2)
        SearchOutbox.objects.filter(id__in=[row for row, _document_id in rows]).delete()
        applied += len(rows)


def apply_outbox_quietly() -> None:
    """:func:`apply_outbox` after a commit: a busy writer or a failure leaves the rows for
    the worker's job (``search.tasks``), never fails the request that committed."""
    try:
        apply_outbox()
    except IndexBusy:
        logger.info("search index busy: the outbox is left to the worker")
    except Exception:
        logger.exception("applying the search outbox failed; the worker will retry")


_caught_up: set[int] = set()


def catch_up() -> None:
    """Once per process, before its first search: apply what the outbox still holds (a
    process that was down while others wrote, a change whose process died after commit)."""
    pid = os.getpid()
    if pid in _caught_up:
        return
    _caught_up.add(pid)
    if SearchOutbox.objects.exists():
        apply_outbox_quietly()


def index_docs(document_ids: Collection[int] | None) -> Iterator[IndexDoc]:
    """The engine's documents of the entries of ``document_ids`` (None: every entry), read
    from the database: the entry columns and its facet rows."""
    if document_ids is not None:
        entries = SearchEntry.objects.filter(document_id__in=document_ids)
        yield from _docs_of(
            entries, SearchFacet.objects.filter(entry__document_id__in=document_ids)
        )
        return
    last = 0
    while True:
        batch = list(
            SearchEntry.objects.filter(id__gt=last)
            .order_by("id")
            .values_list("id", flat=True)[:COPY_BATCH]
        )
        if not batch:
            return
        low, high = batch[0], batch[-1]
        yield from _docs_of(
            SearchEntry.objects.filter(id__gte=low, id__lte=high),
            SearchFacet.objects.filter(entry_id__gte=low, entry_id__lte=high),
        )
        last = high


_DOC_FIELDS = (
    "id",
    "document_id",
    "kind",
    "title",
    "body",
    "title_tokens",
    "body_tokens",
    "terms_tokens",
    "doc_number",
    "doc_type",
    "validity",
    "year",
    "published_on",
    "is_public",
    "sort_name",
)


def _docs_of(entries, facets) -> Iterator[IndexDoc]:
    listed: dict[int, list[tuple[str, str]]] = {}
    for entry_id, facet, value in facets.order_by("id").values_list("entry_id", "facet", "value"):
        listed.setdefault(entry_id, []).append((facet, value))
    for values in entries.order_by("id").values_list(*_DOC_FIELDS).iterator():
        (
            entry_id,
            document_id,
            kind,
            title,
            body,
            title_tokens,
            body_tokens,
            terms_tokens,
            doc_number,
            doc_type,
            validity,
            year,
            published_on,
            is_public,
            sort_name,
        ) = values
        yield IndexDoc(
            entry_id=entry_id,
            document_id=document_id,
            kind=kind,
            title_tokens=title_tokens,
            body_tokens=body_tokens,
            terms_tokens=terms_tokens,
            raw_text=f"{title} {body}",
            doc_number=doc_number,
            doc_type=doc_type,
            validity=validity,
            year=year,
            published_on=_date(published_on),
            is_public=is_public,
            facets=tuple(listed.get(entry_id, ())),
            sort_name=sort_name,
        )


_temporary: OrderedDict = OrderedDict()
_temporary_lock = threading.Lock()
#: Temporary indexes kept per process (one per recent set of documents).
TEMPORARY_KEPT = 4


def temporary_index(document_ids: Collection[int]) -> TantivyIndex:
    """An in-memory index of these documents' entries as the database (and the caller's
    transaction) holds them now; one built for the same entries (their digests: ids are
    reused after a rollback) is reused."""
    docs = list(index_docs(sorted(set(document_ids))))
    key = tuple((doc.entry_id, doc.digest()) for doc in docs)
    with _temporary_lock:
        if key in _temporary:
            _temporary.move_to_end(key)
            return _temporary[key]
    index = TantivyIndex(None)
    index.replace(None, docs)
    with _temporary_lock:
        _temporary[key] = index
        while len(_temporary) > TEMPORARY_KEPT:
            _temporary.popitem(last=False)
    return index


@dataclass(frozen=True)
class Differences:
    """What ``reindex --verify`` found: entries the engine lacks, entries only the engine
    has, entries whose content differs, and outbox rows not applied yet."""

    missing: tuple[int, ...]
    extra: tuple[int, ...]
    differing: tuple[int, ...]
    pending: int
    entries: int

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.differing)


def verify() -> Differences:
    """Compare the engine with the database, entry by entry (ids and a digest of every
    token and facet the engine holds)."""
    expected = {doc.entry_id: doc.digest() for doc in index_docs(None)}
    found = engine().digests()
    return Differences(
        missing=tuple(sorted(expected.keys() - found.keys())),
        extra=tuple(sorted(found.keys() - expected.keys())),
        differing=tuple(
            sorted(key for key in expected.keys() & found.keys() if expected[key] != found[key])
        ),
        pending=SearchOutbox.objects.count(),
        entries=len(expected),
    )


def _filters(query: SearchQuery, public_only: bool) -> Filters:
    return Filters(
        kind=query.kind,
        number=query.number,
        issuer_names=resolve_unit_names(query.issuer) if query.issuer else (),
        issuer_like=query.issuer,
        year=query.year,
        doc_type=query.doc_type,
        topics=query.topic_codes,
        validity=query.validity,
        unit_names=resolve_unit_names(query.unit) if query.unit else (),
        unit_like=query.unit,
        deadline_year=query.deadline_year,
        date_from=query.date_from,
        date_to=query.date_to,
        document_ids=query.document_ids,
        public_only=public_only,
    )


def _hit(row: Row, plan: MatchPlan) -> Hit:
    return Hit(
        kind=row.kind,
        score=round(float(row.score), 6),
        snippet=make_snippet(row.body or row.title, plan.highlight_terms()),
        document_id=row.document_id,
        object_id=row.object_id,
        title=row.title,
        doc_number=row.doc_number,
        heading=row.heading,
        path=row.path,
        anchor=row.anchor,
        task_number=row.task_number,
        published_on=_date(row.published_on),
        highlight=tuple(plan.highlight_terms()),
        first_words=first_words(row.body) if row.kind == TASK else "",
    )


def _date(value) -> datetime.date | None:
    # SQLite returns raw dates as ISO strings, PostgreSQL as dates.
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


# -- matching new entries in memory (issue 13, item 2) -------------------------------------


@dataclass(frozen=True)
class CompiledQuery:
    """A search made ready to test entries in memory (``search.matcher``): its match plan,
    its filters resolved for one searcher, and the words typed (what it looks for)."""

    plan: MatchPlan
    filters: ItemFilters
    words: tuple[str, ...]


def compile_queries(searches: Iterable[tuple[SearchQuery, object]]) -> list:
    """Each (query, searcher) pair as a :class:`CompiledQuery` — or the ``QueryError`` it
    raises —, with one segmenter and one registry for all: the queries are parsed,
    segmented and resolved as :func:`search` does, the searcher's visibility applied.

    Compiled queries are kept in this process (issue 13, Done-when: every ingest tests the
    1,000 saved searches again, and compiling them cost more than testing them). A kept one
    is reused while the registry and the synonym table are the same and no domain term
    added to the segmenter since occurs in the query's text — a new term changes the cut of
    a text containing it and of no other."""
    seg = segmenter()
    table = expansions()
    resolver = get_resolver()
    visibility: dict[int | None, bool] = {}
    with _compiled_lock:
        # The objects themselves are kept (not their ids), so a new one is never mistaken
        # for the old at a reused address.
        context = _compiled_state.get("context", (None, None, None))
        if not (context[0] is seg and context[1] is table and context[2] is resolver):
            _compiled_state.clear()
            _compiled_state.update(context=(seg, table, resolver), queries={})
        kept: dict = _compiled_state["queries"]
        if len(kept) > MAX_COMPILED_KEPT:
            kept.clear()
        version = len(seg.added)
        compiled: list = []
        for query, user in searches:
            key = getattr(user, "pk", None)
            if key not in visibility:
                visibility[key] = may_see_non_public(user)
            entry = kept.get((query, visibility[key]))
            if entry is None or _new_terms_touch(query, seg.added[entry[0] : version]):
                entry = (version, _compiled(query, visibility[key], seg, table, resolver))
            elif entry[0] != version:
                entry = (version, entry[1])
            kept[(query, visibility[key])] = entry
            compiled.append(entry[1])
    return compiled


_compiled_lock = threading.Lock()
#: The compiled queries kept (see :func:`compile_queries`) and what they were compiled with.
_compiled_state: dict = {}
#: Beyond this many kept queries the process starts afresh (each is a few kilobytes).
MAX_COMPILED_KEPT = 50_000


def _new_terms_touch(query: SearchQuery, terms: list[str]) -> bool:
    texts = (query.text, query.title_words, query.body_words, query.issuer, query.unit)
    return any(term in text for term in terms for text in texts if text)


def _compiled(query: SearchQuery, visible: bool, seg, table, resolver):
    """One query compiled (or the ``QueryError`` it raises) for a searcher who may
    (``visible``) or may not see non-public entries."""
    try:
        query, parsed = query.with_text_filters()
        plan = match_plan(expand_query(parsed, table), seg)
    except QueryError as error:
        return error
    filters = ItemFilters(
        kind=query.kind,
        number=query.number,
        doc_type=query.doc_type,
        topics=frozenset(query.topic_codes),
        validity=query.validity,
        year=query.year,
        deadline_year=query.deadline_year,
        date_from=query.date_from,
        date_to=query.date_to,
        document_ids=frozenset(query.document_ids),
        public_only=not visible,
        issuer=_name_filter(query.issuer, resolver),
        unit=_name_filter(query.unit, resolver),
    )
    words = tuple(word.text for word in parsed.words if not word.negated)
    return CompiledQuery(plan, filters, words)


def _name_filter(typed: str, resolver) -> NameFilter | None:
    if not typed:
        return None
    found = [
        value for unit in resolver.loosely_named(typed) for value in (unit.code, *unit.all_names)
    ]
    return NameFilter(frozenset(found), typed.casefold())


def matchable_items(items: Iterable[IndexItem]) -> list[MatchableItem]:
    """``items`` with the token columns the index gives them (:func:`segment`): the lines
    ingestion just segmented for the index are cut already, so this mostly looks them up."""
    items = list(items)
    seg = segmenter()
    seg.prepare(text for item in items for text in (_title_text(item), item.body))
    matchable = []
    for item in items:
        segmented = segment(item, seg)
        matchable.append(
            MatchableItem(
                item, segmented.title_tokens, segmented.body_tokens, segmented.terms_tokens
            )
        )
    return matchable
