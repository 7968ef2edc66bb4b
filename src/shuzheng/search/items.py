"""What the search index holds: the indexing contract between the apps and search.

Pure module (no Django): the documents service builds :class:`IndexItem` objects after an
ingest and hands them to ``shuzheng.search.services.replace_document_entries``; search
never reads the documents' own tables (ARCHITECTURE.md: apps talk through services). The
catalog hands it its datasets the same way (issue 11, item 5: the open-data portal's search
through the one search interface), each dataset a group of its own.
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
#: A catalog entry of the open-data portal (issue 11, item 5). Not a level of the policy
#: library: a library search never finds datasets, a dataset search finds nothing else.
DATASET = "dataset"
ALL_KINDS: tuple[str, ...] = (*KINDS, DATASET)
#: The facets a dataset is filtered and counted by, beside its text (issue 11, item 5):
#: provider unit (name and code), domain, top class of the category, keywords, the
#: distributions' formats, update frequency, open type, grade and license.
DATASET_FACETS: tuple[str, ...] = (
    "provider",
    "provider_code",
    "domain",
    "category",
    "keyword",
    "format",
    "frequency",
    "open_type",
    "grade",
    "license",
)
#: Datasets are grouped apart from documents: a dataset's group id (``document_id``) is
#: this offset plus its resource id, above any document id a library will reach.
DATASET_GROUPS = 1 << 40


def dataset_group(resource_id: int) -> int:
    """The group id (``IndexItem.document_id``) of the dataset of ``resource_id``."""
    return DATASET_GROUPS + resource_id


def dataset_of_group(group_id: int) -> int | None:
    """The resource id of a dataset group id; None for a document's id."""
    return group_id - DATASET_GROUPS if group_id >= DATASET_GROUPS else None


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
    #: 主题分类 codes of the document (``shuzheng.text.topics``).
    topics: tuple[str, ...] = ()
    validity: str = ""
    unit_names: tuple[str, ...] = ()
    unit_codes: tuple[str, ...] = ()
    deadline_years: tuple[int, ...] = ()
    published_on: datetime.date | None = None
    is_public: bool = True
    #: Further facet values as (facet, value) pairs: a dataset's ``DATASET_FACETS``.
    facets: tuple[tuple[str, str], ...] = ()
    #: What "by name" orders by (a dataset's name); empty for the library's kinds.
    sort_name: str = ""

    def __post_init__(self):
        if self.kind not in ALL_KINDS:
            raise ValueError(f"kind must be one of {', '.join(ALL_KINDS)}, not {self.kind!r}")
        unknown = {facet for facet, _value in self.facets} - set(DATASET_FACETS)
        if unknown:
            raise ValueError(f"unknown facets {sorted(unknown)}")
        if not self.title.strip():
            raise ValueError("an index item needs the document title")
        object.__setattr__(self, "facets", tuple(tuple(pair) for pair in self.facets))
        for name in (
            "issuers",
            "issuer_codes",
            "topics",
            "unit_names",
            "unit_codes",
            "deadline_years",
        ):
            object.__setattr__(self, name, tuple(getattr(self, name)))
