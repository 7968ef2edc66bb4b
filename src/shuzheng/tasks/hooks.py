"""What the tasks app adds to other apps' pipelines and pages (docs/architecture.md: hooks).

Registered by ``TasksConfig.ready()``: the ingest step that records a document's task
tables (before the search step, which indexes them), the index source of key tasks, the
wording of the ledger's notifications, and the document page's key-task panel with its
filterable table.
"""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from shuzheng.documents.highlight import highlight_terms, marked_html
from shuzheng.documents.indexing import document_fields
from shuzheng.documents.models import Document
from shuzheng.documents.panels import KEY_TASKS, DocumentPanel, register_document_panel
from shuzheng.documents.pipeline import RECORD_TASKS, IngestContext, register_ingest_step
from shuzheng.notifications.wording import register_notification_kind
from shuzheng.search.sources import register_index_source
from shuzheng.tasks import rendering
from shuzheng.tasks.filtersets import DocumentTaskFilterSet
from shuzheng.tasks.indexing import prepared_task_items, task_index_items
from shuzheng.tasks.selectors import document_task_rows, task_filter_choices
from shuzheng.tasks.services import notices
from shuzheng.tasks.services.recording import (
    prepare_document_tasks,
    units_by_code,
    write_document_tasks,
)

#: The element the task table's filter and sort links swap (tasks/_document_tasks.html).
TASK_TABLE = "task-table"


#: The step's name: the key of what it prepares in ``PreparedDocument.parts``.
RECORD_STEP = "tasks.record"


def prepare_tasks(context: IngestContext) -> None:
    """Before the transaction: each document's task rows, and their index items for the
    search step (issue 9, item 5)."""
    units = units_by_code(task for item in context.new for task in item.parsed.tasks)
    for item in context.new:
        prepared = prepare_document_tasks(item.document, item.sections, item.parsed.tasks, units)
        item.parts[RECORD_STEP] = prepared
        common = document_fields(item.document, item.issuers)
        item.index_drafts += prepared_task_items(prepared, common)


def record_tasks(context: IngestContext) -> None:
    """The ingest step: store the key tasks the parser found in each new document."""
    for document, _parsed in context.stored:
        prepared = context.prepared_of(document).parts[RECORD_STEP]
        write_document_tasks(document, prepared, context.actor)


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
    tasks = list(filterset.qs)
    # A search hit on a task lands on its row with the words marked (issue 14).
    terms = highlight_terms(request.GET.get("hl", ""))
    for task in tasks:
        task.marked_content = marked_html(task.content, terms) if terms else ""
    return {
        "document": document,
        "task_form": filterset.form,
        "tasks": tasks,
        "sort": filterset.value("sort") or "number",
        "task_query": query.urlencode(),
    }


def register() -> None:
    register_ingest_step(RECORD_STEP, record_tasks, order=RECORD_TASKS, prepare=prepare_tasks)
    register_notification_kind(notices.TASK_ASSIGNED, rendering.assigned_notice)
    register_notification_kind(notices.TASK_REJECTED, rendering.rejected_notice)
    register_notification_kind(notices.TASK_REMINDER, rendering.reminder_notice)
    register_notification_kind(notices.TASK_RED_LIGHT, rendering.red_light_notice)
    register_notification_kind(notices.TASK_MENTIONED, rendering.mentioned_notice)
    register_notification_kind(notices.TASK_WATCHED_STEP, rendering.watched_step_notice)
    register_notification_kind(
        notices.TASK_EXTENSION_REQUESTED, rendering.extension_requested_notice
    )
    register_notification_kind(notices.TASK_EXTENSION_DECIDED, rendering.extension_decided_notice)
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
