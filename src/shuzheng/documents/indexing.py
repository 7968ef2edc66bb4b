"""From stored documents to the policy library's search index (issue 4, items 1–3).

The documents app owns the translation of its rows into :class:`IndexItem` objects, the
search app's indexing contract (docs/search.md); search never reads the documents' tables.
Two levels come from here: the document itself (its whole text) and each section (the text
from its heading to the next section's start — exactly the block the document page shows
at the section's anchor). Other apps add their own levels as index sources
(``search.sources``; ``tasks`` adds the key tasks), so an item list of a document is always
the sources' items, at ingestion and at ``shuzheng reindex`` alike.

:func:`index_for_search` is the ingest step (``documents.pipeline``) that indexes the new
documents in ingestion's transaction, so a document and its index entries appear together
or not at all, and only current versions are searchable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Iterator

from django.db.models import Prefetch

from shuzheng.documents.choices import Disclosure
from shuzheng.documents.models import Document, Section
from shuzheng.documents.pipeline import IngestContext, IngestedDocument
from shuzheng.search import services as search_services
from shuzheng.search.items import DOCUMENT, SECTION, IndexItem
from shuzheng.search.sources import source_items

#: Documents loaded at a time when the whole library is indexed.
CHUNK_SIZE = 200


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
        common = document_fields(document)
        yield IndexItem(kind=DOCUMENT, object_id=document.pk, body=document.text, **common)
        yield from _section_items(document, common)


def document_fields(document: Document) -> dict:
    """Fields every item of a document carries: title, number and the document facets.
    Issuers are the registry units when the resolver placed them, else the names as written.
    Expects ``issuers`` prefetched (the item sources load many documents at once)."""
    units = list(document.issuers.all())
    issuers = tuple(unit.name for unit in units) or tuple(document.issuer_names)
    return {
        "document_id": document.pk,
        "title": document.title,
        "doc_number": document.doc_number,
        "issuers": issuers,
        "issuer_codes": tuple(unit.code for unit in units),
        "year": document.year,
        "doc_type": document.doc_type,
        "validity": document.validity,
        "published_on": document.published_on or document.written_on,
        "is_public": document.disclosure == Disclosure.PUBLIC,
    }


def _section_items(document: Document, common: dict) -> list[IndexItem]:
    """One item per section, its body running from its heading to the next section."""
    sections = list(document.sections.all())
    items = []
    for index, section in enumerate(sections):
        stop = sections[index + 1].start if index + 1 < len(sections) else len(document.text)
        body = document.text[section.start : max(stop, section.start)].strip()
        if not body:
            continue
        items.append(
            IndexItem(
                kind=SECTION,
                object_id=section.pk,
                body=body,
                heading=section.heading,
                path=section.path,
                anchor=section.anchor,
                **common,
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
    """Index documents ingestion just stored and retire their previous versions' entries,
    in the caller's transaction (issue 4: search shows current versions only). Returns
    what is new in each, for the subscriptions (issue 4, item 4)."""
    ingested = []
    for document in documents:
        items = source_items([document.pk])
        search_services.replace_document_entries(document.pk, items, actor=actor)
        previous_items: list[IndexItem] = []
        if document.previous_version_id:
            previous_items = source_items([document.previous_version_id])
            search_services.delete_document_entries(document.previous_version_id, actor=actor)
        ingested.append(
            IngestedDocument(
                document_id=document.pk,
                identity=document.identity,
                version=document.version,
                previous_id=document.previous_version_id,
                new_items=tuple(new_items(items, previous_items)),
                has_parts=any(item.kind != DOCUMENT for item in items),
            )
        )
    return ingested


def index_for_search(context: IngestContext) -> None:
    """The ingest step: index what ingestion stored and tell the steps after it what is new."""
    context.ingested = index_ingested(context.documents, actor=context.actor)
