"""From stored documents to the policy library's search index (issue 4, items 1–3).

The documents app owns the translation of its rows into :class:`IndexItem` objects, the
search app's indexing contract (docs/search.md); search never reads the documents' tables.
Ingestion calls :func:`index_ingested` inside its transaction, so a document and its index
entries appear together or not at all, and only current versions are searchable.
``shuzheng reindex`` calls :func:`reindex_all`.

Three levels are indexed per current document: the document itself (its whole text), each
section (the text from its heading to the next section's start — exactly the block the
document page shows at the section's anchor) and each key task of its task table or inline
measures (number, responsible unit names and codes, deadline years).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Prefetch

from shuzheng.documents.choices import Disclosure
from shuzheng.documents.models import Document, Section
from shuzheng.search import services as search_services
from shuzheng.search.items import DOCUMENT, SECTION, TASK, IndexItem
from shuzheng.tasks.models import KeyTask, TaskResponsibility


@dataclass(frozen=True)
class IngestedDocument:
    """A document that ingestion just stored (a new one or a new version), with the index
    items that are new to the library: all of them for a new document; for a new version
    the document itself plus the sections and tasks whose text changed (issue 4, item 4:
    subscribers hear about what is new, not about what was merely re-published)."""

    document_id: int
    identity: str
    version: int
    previous_id: int | None
    new_items: tuple[IndexItem, ...]
    #: Whether the document has sections or key tasks (else it is matched whole).
    has_parts: bool = False

    @property
    def is_new_version(self) -> bool:
        return self.previous_id is not None


def task_anchor(task: KeyTask) -> str:
    """The id of the task's row in the document page's task table (documents/_tasks.html)."""
    return f"task-{task.form}-{task.number}"


def document_items(document: Document) -> list[IndexItem]:
    """The index items of one document: the document, its sections and its key tasks."""
    document = _loaded(document.pk)
    common = _common_fields(document)
    items = [IndexItem(kind=DOCUMENT, object_id=document.pk, body=document.text, **common)]
    items += _section_items(document, common)
    items += _task_items(document, common)
    return items


def _loaded(document_id: int) -> Document:
    return Document.objects.prefetch_related(
        "issuers",
        Prefetch("sections", queryset=Section.objects.order_by("start", "position")),
        Prefetch(
            "tasks",
            queryset=KeyTask.objects.filter(parent__isnull=True)
            .order_by("form", "number", "id")
            .prefetch_related(
                Prefetch(
                    "responsibilities", queryset=TaskResponsibility.objects.select_related("unit")
                ),
                "milestones",
            ),
        ),
    ).get(pk=document_id)


def _common_fields(document: Document) -> dict:
    """Fields every item of a document carries: title, number and the document facets.
    Issuers are the registry units when the resolver placed them, else the names as written."""
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


def _task_items(document: Document, common: dict) -> list[IndexItem]:
    items = []
    for task in document.tasks.all():
        responsibilities = list(task.responsibilities.all())
        units = [row.unit for row in responsibilities if row.unit is not None]
        names = [unit.name for unit in units] + [row.name for row in responsibilities]
        body = task.content
        if task.raw_responsibility:
            body += f" 责任单位：{task.raw_responsibility}"
        if task.deadline_text:
            body += f" 完成时限：{task.deadline_text}"
        items.append(
            IndexItem(
                kind=TASK,
                object_id=task.pk,
                body=body,
                heading=task.category,
                path=f"{task.form}/{task.number}",
                anchor=task_anchor(task),
                task_number=str(task.number),
                unit_names=tuple(dict.fromkeys(name for name in names if name)),
                unit_codes=tuple(dict.fromkeys(unit.code for unit in units)),
                deadline_years=tuple(
                    sorted({m.year for m in task.milestones.all() if m.year is not None})
                ),
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
        items = document_items(document)
        search_services.replace_document_entries(document.pk, items, actor=actor)
        previous_items: list[IndexItem] = []
        if document.previous_version_id:
            previous_items = document_items(Document(pk=document.previous_version_id))
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


def all_current_items() -> Iterator[IndexItem]:
    """The index items of every current document, in id order."""
    for document_id in (
        Document.objects.filter(is_current=True).order_by("pk").values_list("pk", flat=True)
    ):
        yield from document_items(Document(pk=document_id))


def reindex_all(*, actor=None) -> int:
    """Rebuild the whole index from the current documents (``shuzheng reindex``): after the
    domain dictionary grew, or after an upgrade changed what is indexed. Returns the count."""
    return search_services.rebuild(all_current_items(), actor=actor)
