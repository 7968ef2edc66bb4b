"""What the tasks app adds to other apps' pipelines (docs/architecture.md: hooks).

Registered by ``TasksConfig.ready()``: the ingest step that records a document's task
tables (before the search step, which indexes them), and the index source of key tasks.
"""

from shuzheng.documents.pipeline import RECORD_TASKS, IngestContext, register_ingest_step
from shuzheng.search.sources import register_index_source
from shuzheng.tasks.indexing import task_index_items
from shuzheng.tasks.services.recording import record_document_tasks


def record_tasks(context: IngestContext) -> None:
    """The ingest step: store the key tasks the parser found in each new document."""
    for document, parsed in context.stored:
        record_document_tasks(document, parsed.tasks, context.actor)


def register() -> None:
    register_ingest_step("tasks.record", record_tasks, order=RECORD_TASKS)
    register_index_source("tasks", task_index_items)
