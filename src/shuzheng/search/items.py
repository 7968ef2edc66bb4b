"""What the search index holds: the indexing contract between the documents app and search.

Pure module (no Django): the documents service builds :class:`IndexItem` objects after an
ingest and hands them to ``shuzheng.search.services.replace_document_entries``; search
never reads the documents' own tables (ARCHITECTURE.md: apps talk through services).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

DOCUMENT = "document"
SECTION = "section"
TASK = "task"
#: The three levels a hit can be at (issue 4, item 3): a whole document, one section
#: (paragraph level, linked by anchor) or one key task of a task table.
KINDS: tuple[str, ...] = (DOCUMENT, SECTION, TASK)


@dataclass(frozen=True)
class IndexItem:
    """One searchable unit of text with the facets it is filtered and counted by.

    ``object_id`` identifies the item within its kind (a Document, Section or KeyTask id);
    ``document_id`` groups all items of one document so that a re-ingest replaces them at
    once. ``body`` is the original text; segmentation happens inside the search app.
    """

    kind: str
    object_id: int
    document_id: int
    title: str
    body: str
    doc_number: str = ""
    heading: str = ""
    path: str = ""
    anchor: str = ""
    task_number: str = ""
    issuers: tuple[str, ...] = ()
    issuer_codes: tuple[str, ...] = ()
    year: int | None = None
    doc_type: str = ""
    validity: str = ""
    unit_names: tuple[str, ...] = ()
    unit_codes: tuple[str, ...] = ()
    deadline_years: tuple[int, ...] = ()
    published_on: datetime.date | None = None
    is_public: bool = True

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        if not self.title.strip():
            raise ValueError("an index item needs the document title")
        for name in ("issuers", "issuer_codes", "unit_names", "unit_codes", "deadline_years"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
