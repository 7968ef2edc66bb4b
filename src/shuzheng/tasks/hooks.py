"""What the tasks app adds to other apps' pipelines and pages (docs/architecture.md: hooks).

Registered by ``TasksConfig.ready()``: the ingest step that records a document's task
tables (before the search step, which indexes them), the index source of key tasks, and
the document page's key-task panel with its filterable table.
"""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from shuzheng.documents.models import Document
from shuzheng.documents.panels import KEY_TASKS, DocumentPanel, register_document_panel
from shuzheng.documents.pipeline import RECORD_TASKS, IngestContext, register_ingest_step
from shuzheng.search.sources import register_index_source
from shuzheng.tasks.filtersets import DocumentTaskFilterSet
from shuzheng.tasks.indexing import task_index_items
from shuzheng.tasks.selectors import document_task_rows, task_filter_choices
from shuzheng.tasks.services.recording import record_document_tasks

#: The element the task table's filter and sort links swap (tasks/_document_tasks.html).
TASK_TABLE = "task-table"


def record_tasks(context: IngestContext) -> None:
    """The ingest step: store the key tasks the parser found in each new document."""
    for document, parsed in context.stored:
        record_document_tasks(document, parsed.tasks, context.actor)


def render_task_panel(request: HttpRequest, document: Document) -> SafeString:
    """The document page's "Key tasks" section: a count, the filter and the table; nothing
    for a document without key tasks."""
    total = document.tasks.count()
    if not total:
        return SafeString("")
    units, years = task_filter_choices(document)
    context = {
        **_task_table_context(request, document),
        "task_total": total,
        "task_units": units,
        "task_years": years,
    }
    return render_to_string("tasks/document_panel.html", context, request=request)


def render_task_table(request: HttpRequest, document: Document) -> SafeString:
    """The task table alone: the answer to the filter and sort links' htmx requests."""
    context = _task_table_context(request, document)
    return render_to_string("tasks/_document_tasks.html", context, request=request)


def _task_table_context(request: HttpRequest, document: Document) -> dict:
    """An invalid filter filters nothing and its error shows beside it in the panel's form."""
    filterset = DocumentTaskFilterSet(request.GET, queryset=document_task_rows(document))
    query = request.GET.copy()
    query.pop("sort", None)
    return {
        "document": document,
        "task_form": filterset.form,
        "tasks": filterset.qs,
        "sort": filterset.value("sort") or "number",
        "task_query": query.urlencode(),
    }


def register() -> None:
    register_ingest_step("tasks.record", record_tasks, order=RECORD_TASKS)
    register_index_source("tasks", task_index_items)
    register_document_panel(
        DocumentPanel(
            name="tasks.key_tasks",
            render=render_task_panel,
            order=KEY_TASKS,
            target=TASK_TABLE,
            render_target=render_task_table,
        )
    )
