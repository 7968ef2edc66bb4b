"""What the documents app registers on pipelines (docs/architecture.md: hooks).

Registered by ``DocumentsConfig.ready()``: the ingest step that indexes the new documents
for search, and the index source of documents and their sections.
"""

from shuzheng.documents.indexing import (
    INDEX_STEP,
    document_index_items,
    index_for_search,
    prepare_index,
)
from shuzheng.documents.pipeline import INDEX_FOR_SEARCH, register_ingest_step
from shuzheng.search.sources import register_index_source


def register() -> None:
    register_ingest_step(
        INDEX_STEP, index_for_search, order=INDEX_FOR_SEARCH, prepare=prepare_index
    )
    register_index_source("documents", document_index_items)
