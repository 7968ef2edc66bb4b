"""Where the index's items come from: sources the other apps register (issue 8, item 1).

Search never reads another app's tables. An app whose rows are searchable registers an
index source from its ``AppConfig.ready()``: a function that, given document ids (or None:
everything that should be searchable now), returns the :class:`IndexItem` objects it holds
for them — ``documents`` the documents and their sections, ``tasks`` the key tasks,
``catalog`` the datasets (whose group ids are ``items.dataset_group``).
Ingestion asks the sources for the items of the documents it stored; ``shuzheng reindex``
asks them for everything.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

from shuzheng.search import services
from shuzheng.search.items import ALL_KINDS, IndexItem

IndexSource = Callable[[Collection[int] | None], Iterable[IndexItem]]

_sources: dict[str, IndexSource] = {}


def register_index_source(name: str, items: IndexSource) -> None:
    """Add ``items`` to what the index is built from; a name registered again is replaced
    (an ``AppConfig.ready()`` that runs twice adds nothing twice)."""
    _sources[name] = items


def source_items(document_ids: Collection[int] | None = None) -> list[IndexItem]:
    """Every source's items of the documents ``document_ids`` (None: all of them), grouped
    by document in id order, and within a document by level (document, section, task), each
    level in its source's order — the order the entries are stored in."""
    items = [item for items in _sources.values() for item in items(document_ids)]
    return sorted(items, key=lambda item: (item.document_id, ALL_KINDS.index(item.kind)))


def reindex(*, actor=None) -> int:
    """Rebuild the whole index from the sources (``shuzheng reindex``): after the domain
    dictionary grew, or after an upgrade changed what is indexed. Returns the count."""
    return services.rebuild(source_items(), actor=actor)
