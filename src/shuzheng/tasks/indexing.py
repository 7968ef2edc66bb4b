"""Key tasks in the policy library's search index (issue 4, items 1–3).

The tasks app's index source (``search.sources``): one item per key task of a task table
or of inline measures — its number, responsible unit names and codes, deadline years —
carrying its document's facets, so a task is found by the same filters as its document.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator

from django.db.models import Prefetch

from shuzheng.documents.indexing import CHUNK_SIZE, document_fields
from shuzheng.orgs.resolution import normalise_name
from shuzheng.orgs.services import get_resolver
from shuzheng.search.items import TASK, IndexItem
from shuzheng.tasks.models import KeyTask, Milestone, TaskResponsibility
from shuzheng.tasks.services.recording import PreparedTasks


def task_anchor(task: KeyTask) -> str:
    """The id of the task's row in the document page's task table (documents/_tasks.html)."""
    return f"task-{task.form}-{task.number}"


def task_index_items(document_ids: Collection[int] | None) -> Iterator[IndexItem]:
    """The items of the top-level key tasks of the documents ``document_ids`` (of every
    current document when None), by document, then form and number."""
    tasks = KeyTask.objects.filter(parent__isnull=True)
    tasks = (
        tasks.filter(document__is_current=True)
        if document_ids is None
        else tasks.filter(document_id__in=document_ids)
    )
    tasks = (
        tasks.order_by("document_id", "form", "number", "id")
        .select_related("document")
        .prefetch_related(
            "document__issuers",
            Prefetch(
                "responsibilities", queryset=TaskResponsibility.objects.select_related("unit")
            ),
            "milestones",
        )
    )
    fields_of: dict[int, dict] = {}
    canonical = get_resolver().canonical_name
    for task in tasks.iterator(chunk_size=CHUNK_SIZE):
        document = task.document
        common = fields_of.setdefault(
            task.document_id, document_fields(document, list(document.issuers.all()))
        )
        yield task_item(task, task.responsibilities.all(), task.milestones.all(), common, canonical)


def prepared_task_items(prepared: PreparedTasks, common: dict) -> list[tuple[KeyTask, IndexItem]]:
    """The items of tasks not written yet, each with its task (whose id it takes when the
    task is written), in the order of :func:`task_index_items`: form, number, then the
    order of the task list."""
    canonical = get_resolver().canonical_name
    drafts = [
        (
            task,
            task_item(
                task, prepared.responsibilities[at], prepared.milestones[at], common, canonical
            ),
        )
        for at, task in enumerate(prepared.tasks)
    ]
    order = {id(task): at for at, task in enumerate(prepared.tasks)}
    return sorted(drafts, key=lambda draft: (draft[0].form, draft[0].number, order[id(draft[0])]))


def task_item(
    task: KeyTask,
    responsibilities: Iterable[TaskResponsibility],
    milestones: Iterable[Milestone],
    common: dict,
    canonical: Callable[[str], str] = normalise_name,
) -> IndexItem:
    """One task's item; reads nothing (the rows may be unsaved). ``canonical`` names a unit
    the registry did not place (the resolver's ``canonical_name``)."""
    responsibilities = list(responsibilities)
    units = [row.unit for row in responsibilities if row.unit is not None]
    # One unit is one facet value (issue 14): a placed unit by its registry name only (not
    # also as written, "自治区财政厅" beside "宁夏回族自治区财政厅"); a group or an unplaced
    # name by the resolver's canonical form.
    names = [unit.name for unit in units]
    names += [canonical(row.name) for row in responsibilities if row.unit is None or row.group]
    body = task.content
    if task.raw_responsibility:
        body += f" 责任单位：{task.raw_responsibility}"
    if task.deadline_text:
        body += f" 完成时限：{task.deadline_text}"
    return IndexItem(
        kind=TASK,
        object_id=task.pk,
        body=body,
        heading=task.category,
        path=f"{task.form}/{task.number}",
        anchor=task_anchor(task),
        task_number=str(task.number),
        unit_names=tuple(dict.fromkeys(name for name in names if name)),
        unit_codes=tuple(dict.fromkeys(unit.code for unit in units)),
        deadline_years=tuple(sorted({m.year for m in milestones if m.year is not None})),
        **common,
    )
