"""The ingest pipeline: steps other apps register to run inside ingestion's transaction.

Ingestion stores what the parser found (sources, documents, sections, citations,
findings) and then runs every registered step, in order, in the same transaction
(issue 8, item 1): ``tasks`` records the task tables, ``documents`` indexes the new
documents for search, ``subscriptions`` matches what is new. A step that raises rolls the
whole file back, so a document never exists without its tasks, index entries or
notifications. ``documents`` imports none of the apps that extend it: each registers its
step from its ``AppConfig.ready()`` (Datasette-style hooks; docs/architecture.md).
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
class IngestContext:
    """What one ingestion hands its steps: the documents it stored that are new (a new
    document or a new version; unchanged ones are left out), each with the parse result it
    came from, the actor, and what the search step found new in each (for the steps after
    it: subscriptions match those items)."""

    stored: list[tuple[Document, ParsedDocument]]
    actor: Any
    ingested: list[IngestedDocument] = field(default_factory=list)

    @property
    def documents(self) -> list[Document]:
        return [document for document, _ in self.stored]


IngestStepFunction = Callable[[IngestContext], None]


@dataclass(frozen=True)
class IngestStep:
    name: str
    run: IngestStepFunction
    order: int


_steps: dict[str, IngestStep] = {}


def register_ingest_step(name: str, run: IngestStepFunction, *, order: int) -> None:
    """Run ``run(context)`` in every ingestion, after the steps with a lower ``order``.

    Registering a name again replaces its step, so an ``AppConfig.ready()`` that runs twice
    (as it may in tests) does not run a step twice.
    """
    _steps[name] = IngestStep(name, run, order)


def ingest_steps() -> list[IngestStep]:
    """The registered steps in the order they run (by ``order``, then by name)."""
    return sorted(_steps.values(), key=lambda step: (step.order, step.name))


def run_ingest_steps(context: IngestContext) -> None:
    """Run every step on ``context``; called by ingestion inside its transaction."""
    for step in ingest_steps():
        step.run(context)
