"""The ingest pipeline: steps other apps register on ingestion, in two phases.

Ingestion stores what the parser found (sources, documents, sections, citations,
findings) and then runs every registered step, in order, in the same transaction
(issue 8, item 1): ``tasks`` records the task tables, ``documents`` indexes the new
documents for search, ``subscriptions`` matches what is new. A step that raises rolls the
whole file back, so a document never exists without its tasks, index entries or
notifications. ``documents`` imports none of the apps that extend it: each registers its
step from its ``AppConfig.ready()`` (Datasette-style hooks; docs/architecture.md).

Issue 9, item 5: the write lock is held only for the writing. Before the transaction,
each step's ``prepare`` builds what it will write — unsaved rows, index items and their
tokens — from the parse result and reads (:class:`PreparedDocument`); inside it, its
``run`` only writes, in bulk. A prepared row gets its id when it is written, so what
refers to it (a task's section, an index item's object) is resolved at write time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shuzheng.documents.models import Document
from shuzheng.documents.parsing.model import ParsedDocument
from shuzheng.search.items import IndexItem

#: Where the steps of the apps as built stand; a new step picks a number between them.
RECORD_TASKS = 100
INDEX_FOR_SEARCH = 500
MATCH_SUBSCRIPTIONS = 900


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


@dataclass
class PreparedDocument:
    """One parsed document made ready for writing: the unsaved ``document`` row with its
    ``sections``, ``attachments`` and ``citations`` (their document set when written), the
    registry units of its issuers, and what the steps prepared for it: ``parts`` by step
    name, and ``index_drafts`` — the index items of its rows, each with the row whose id
    it takes (``(row, item)``; the document's own item has the document as its row)."""

    parsed: ParsedDocument
    document: Document
    issuers: list = field(default_factory=list)
    sections: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    citations: list = field(default_factory=list)
    parts: dict[str, Any] = field(default_factory=dict)
    index_drafts: list[tuple[Any, IndexItem]] = field(default_factory=list)
    #: False when the library (or an earlier document of the same file) holds this text
    #: already: it will be "unchanged", and the steps prepare nothing for it.
    is_new: bool = True


@dataclass
class IngestContext:
    """What one ingestion hands its steps: the documents it stored that are new (a new
    document or a new version; unchanged ones are left out), each with the parse result it
    came from, the actor, and what the search step found new in each (for the steps after
    it: subscriptions match those items)."""

    stored: list[tuple[Document, ParsedDocument]]
    actor: Any
    ingested: list[IngestedDocument] = field(default_factory=list)
    #: Every parsed document, prepared (before the transaction), in the file's order.
    prepared: list[PreparedDocument] = field(default_factory=list)
    #: What a step prepared for the whole file, by step name.
    parts: dict[str, Any] = field(default_factory=dict)

    @property
    def documents(self) -> list[Document]:
        return [document for document, _ in self.stored]

    @property
    def new(self) -> list[PreparedDocument]:
        """The prepared documents that will be written: what the steps prepare for."""
        return [item for item in self.prepared if item.is_new]

    def prepared_of(self, document: Document) -> PreparedDocument:
        """The preparation a stored document was written from."""
        for item in self.prepared:
            if item.document is document:
                return item
        raise LookupError(f"document {document.pk} was not prepared by this ingestion")


IngestStepFunction = Callable[[IngestContext], None]


@dataclass(frozen=True)
class IngestStep:
    name: str
    run: IngestStepFunction
    order: int
    #: Runs before the transaction, on ``context.new`` (``stored`` is still empty).
    prepare: IngestStepFunction | None = None


_steps: dict[str, IngestStep] = {}


def register_ingest_step(
    name: str,
    run: IngestStepFunction,
    *,
    order: int,
    prepare: IngestStepFunction | None = None,
) -> None:
    """Run ``run(context)`` in every ingestion, after the steps with a lower ``order``; and
    ``prepare(context)``, if given, before the transaction, in the same order.

    Registering a name again replaces its step, so an ``AppConfig.ready()`` that runs twice
    (as it may in tests) does not run a step twice.
    """
    _steps[name] = IngestStep(name, run, order, prepare)


def ingest_steps() -> list[IngestStep]:
    """The registered steps in the order they run (by ``order``, then by name)."""
    return sorted(_steps.values(), key=lambda step: (step.order, step.name))


def prepare_ingest_steps(context: IngestContext) -> None:
    """Run every step's prepare phase; called by ingestion before its transaction."""
    for step in ingest_steps():
        if step.prepare is not None:
            step.prepare(context)


def run_ingest_steps(context: IngestContext) -> None:
    """Run every step on ``context``; called by ingestion inside its transaction."""
    for step in ingest_steps():
        step.run(context)
