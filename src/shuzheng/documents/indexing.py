"""From stored documents to the policy library's search index (issue 4, items 1–3).

The documents app owns the translation of its rows into :class:`IndexItem` objects, the
search app's indexing contract (docs/search.md); search never reads the documents' tables.
Two levels come from here: the document itself (its whole text) and each section (the text
from its heading to the next section's start — exactly the block the document page shows
at the section's anchor). Bodies are the text without its Markdown marks and with the
paragraphs the source broke at a page end joined (``documents.rendering.index_text``: no
``#`` or ``-`` in an entry or a snippet, no "黄河宁" / "夏段" split). Other apps add their
own levels as index sources (``search.sources``; ``tasks`` adds the key tasks), so an item
list of a document is always the sources' items, at ingestion and at ``shuzheng reindex``
alike.

:func:`index_for_search` is the ingest step (``documents.pipeline``) that indexes the new
documents in ingestion's transaction, so a document and its index entries appear together
or not at all, and only current versions are searchable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import replace

from django.db.models import Prefetch

from shuzheng.documents.choices import Disclosure
from shuzheng.documents.models import Document, Section
from shuzheng.documents.pipeline import IngestContext, IngestedDocument
from shuzheng.documents.rendering import index_text
from shuzheng.orgs.models import Unit
from shuzheng.orgs.services import get_resolver
from shuzheng.search import services as search_services
from shuzheng.search.items import DOCUMENT, KINDS, SECTION, IndexItem
from shuzheng.search.sources import source_items

#: Documents loaded at a time when the whole library is indexed.
CHUNK_SIZE = 200
#: The ingest step's name: the key of what it prepares in ``IngestContext.parts``.
INDEX_STEP = "documents.index"


def document_index_items(document_ids: Collection[int] | None) -> Iterator[IndexItem]:
    """The index source of this app: the items of the documents ``document_ids`` (every
    current document when None), each document followed by its sections, in id order."""
    documents = (
        Document.objects.filter(is_current=True)
        if document_ids is None
        else Document.objects.filter(pk__in=document_ids)
    )
    documents = documents.order_by("pk").prefetch_related(
        "issuers", Prefetch("sections", queryset=Section.objects.order_by("start", "position"))
    )
    for document in documents.iterator(chunk_size=CHUNK_SIZE):
        yield from document_items(document, list(document.issuers.all()), document.sections.all())


def document_items(
    document: Document, issuers: Sequence[Unit], sections: Sequence[Section]
) -> list[IndexItem]:
    """The items of one document: itself, then its sections in text order. Reads nothing, so
    ingestion builds them from its unsaved rows before its transaction (their ids are filled
    in when the rows are written, ``search.services.IndexDraft``)."""
    return [item for _row, item in document_drafts(document, issuers, sections)]


def document_drafts(
    document: Document, issuers: Sequence[Unit], sections: Sequence[Section]
) -> list[tuple[Document | Section, IndexItem]]:
    """:func:`document_items`, each with the row it stands for (whose id it takes)."""
    common = document_fields(document, issuers)
    item = IndexItem(kind=DOCUMENT, object_id=document.pk, body=index_text(document.text), **common)
    return [(document, item), *_section_items(document, sections, common)]


def document_fields(document: Document, units: Sequence[Unit]) -> dict:
    """Fields every item of a document carries: title, number and the document facets.
    Issuers are the registry units when the resolver placed them (``units``), else the names
    as written in the resolver's canonical form (one issuer, one facet value)."""
    issuers = tuple(unit.name for unit in units) or tuple(
        dict.fromkeys(get_resolver().canonical_name(name) for name in document.issuer_names)
    )
    return {
        "document_id": document.pk,
        "title": document.title,
        "doc_number": document.doc_number,
        "issuers": issuers,
        "issuer_codes": tuple(unit.code for unit in units),
        "year": document.year,
        "doc_type": document.doc_type,
        "topics": tuple(document.topics),
        "validity": document.validity,
        "published_on": document.published_on or document.written_on,
        "is_public": document.disclosure == Disclosure.PUBLIC,
    }


def _section_items(
    document: Document, sections: Sequence[Section], common: dict
) -> list[tuple[Section, IndexItem]]:
    """One item per section (in text order), its body running from its heading to the next
    section."""
    sections = list(sections)
    items = []
    for index, section in enumerate(sections):
        stop = sections[index + 1].start if index + 1 < len(sections) else len(document.text)
        body = index_text(document.text[section.start : max(stop, section.start)]).strip()
        if not body:
            continue
        items.append(
            (
                section,
                IndexItem(
                    kind=SECTION,
                    object_id=section.pk,
                    body=body,
                    heading=section.heading,
                    path=section.path,
                    anchor=section.anchor,
                    **common,
                ),
            )
        )
    return items


def content_key(item: IndexItem) -> str:
    """What makes an item "the same" across versions: its level, heading and text, hashed.
    A section renumbered or moved keeps its key; one word changed gives a new key."""
    text = "\x1f".join((item.kind, item.heading, item.task_number, item.body))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_items(items: list[IndexItem], previous: Iterable[IndexItem]) -> list[IndexItem]:
    """The document item (a new version is news to its followers) and every section or
    task whose content key the previous version did not have."""
    known = {content_key(item) for item in previous if item.kind != DOCUMENT}
    return [item for item in items if item.kind == DOCUMENT or content_key(item) not in known]


def index_ingested(documents: Iterable[Document], *, actor=None) -> list[IngestedDocument]:
    """Index stored documents from the index sources and retire their previous versions'
    entries, in the caller's transaction (issue 4: search shows current versions only).
    Returns what is new in each, for the subscriptions (issue 4, item 4)."""
    ingested = []
    for document in documents:
        items = source_items([document.pk])
        search_services.replace_document_entries(document.pk, items, actor=actor)
        ingested.append(_retire_previous(document, items, actor))
    return ingested


def _retire_previous(document: Document, items: list[IndexItem], actor) -> IngestedDocument:
    """Drop the previous version's entries; what of ``items`` it did not have is new."""
    previous_items: list[IndexItem] = []
    if document.previous_version_id:
        previous_items = source_items([document.previous_version_id])
        search_services.delete_document_entries(document.previous_version_id, actor=actor)
    return IngestedDocument(
        document_id=document.pk,
        identity=document.identity,
        version=document.version,
        previous_id=document.previous_version_id,
        new_items=tuple(new_items(items, previous_items)),
        has_parts=any(item.kind != DOCUMENT for item in items),
    )


def prepare_index(context: IngestContext) -> None:
    """The ingest step's preparation, before the transaction: every new document's items —
    its own and those the earlier steps drafted (``index_drafts``: the key tasks), in the
    order the index sources give them — segmented with one dictionary (issue 9, item 5)."""
    for prepared in context.new:
        own = document_drafts(prepared.document, prepared.issuers, prepared.sections)
        drafts = [*own, *prepared.index_drafts]
        prepared.index_drafts = sorted(drafts, key=lambda draft: KINDS.index(draft[1].kind))
    index = search_services.prepare_index(
        [[item for _row, item in prepared.index_drafts] for prepared in context.new]
    )
    context.parts[INDEX_STEP] = index
    for prepared, entries in zip(context.new, index.entries, strict=True):
        prepared.parts[INDEX_STEP] = entries


def index_for_search(context: IngestContext) -> None:
    """The ingest step: write the prepared entries of what ingestion stored, retire the
    previous versions' entries, and tell the steps after it what is new."""
    index = context.parts[INDEX_STEP]
    search_services.store_terms(index.terms, index.seg)
    for document in context.documents:
        prepared = context.prepared_of(document)
        items = [_with_ids(item, row, document) for row, item in prepared.index_drafts]
        entries = prepared.parts[INDEX_STEP].with_items(items)
        search_services.write_entries(document.pk, entries, actor=context.actor)
        context.ingested.append(_retire_previous(document, items, context.actor))


def _with_ids(item: IndexItem, row, document: Document) -> IndexItem:
    """A drafted item as the index source would give it now its rows are written: the ids,
    and what only the write knows (the gazette's publication day; the topics an editor gave
    the previous version, ``documents.services._store_document``)."""
    return replace(
        item,
        object_id=row.pk,
        document_id=document.pk,
        topics=tuple(document.topics),
        year=document.year,
        published_on=document.published_on or document.written_on,
    )
