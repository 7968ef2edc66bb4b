"""Recording a document's key tasks (issue 3, item 9): the ingest step's write."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from shuzheng import clock
from shuzheng.audit.services import record_change
from shuzheng.documents.parsing import model as parsed
from shuzheng.orgs.models import Unit
from shuzheng.tasks.choices import ResponsibilityRole
from shuzheng.tasks.models import KeyTask, Milestone, TaskResponsibility
from shuzheng.tasks.services.lights import refresh_lights

#: Rows per INSERT of the bulk writes.
BATCH_SIZE = 1000

ROLE_OF_LIST = {
    "lead_units": ResponsibilityRole.LEAD,
    "owner_units": ResponsibilityRole.OWNER,
    "supporting_units": ResponsibilityRole.SUPPORTING,
}


@dataclass
class PreparedTasks:
    """A document's key tasks as unsaved rows, each responsibility and milestone pointing at
    its unsaved task: built before ingestion's transaction, written inside it."""

    tasks: list[KeyTask] = field(default_factory=list)
    responsibilities: dict[int, list[TaskResponsibility]] = field(default_factory=dict)
    milestones: dict[int, list[Milestone]] = field(default_factory=dict)


def record_document_tasks(document, parsed_tasks: Sequence[parsed.KeyTask], actor) -> list[KeyTask]:
    """Store a document's key tasks with their responsible units and milestones.

    Issue 3, item 9: every task of a task list (and every inline 〔责任单位：…〕 measure) becomes
    a KeyTask; each resolved unit code becomes one TaskResponsibility, and a name the resolver
    could not place is kept with an empty unit so no responsibility is lost. Runs inside the
    caller's transaction; writes in bulk, one audit event per document rather than per task.
    """
    sections = list(document.sections.all())
    prepared = prepare_document_tasks(document, sections, parsed_tasks, units_by_code(parsed_tasks))
    return write_document_tasks(document, prepared, actor)


def prepare_document_tasks(
    document, sections: Sequence, parsed_tasks: Sequence[parsed.KeyTask], units: dict[str, Unit]
) -> PreparedTasks:
    """The rows :func:`write_document_tasks` writes; reads nothing (``units`` is looked up
    once per file), so ingestion builds them before its transaction (issue 9, item 5).
    ``document`` and ``sections`` may be unsaved: the rows refer to the objects."""
    locate_section = _section_locator(sections)
    prepared = PreparedTasks()
    for position, item in enumerate(parsed_tasks):
        task = KeyTask(
            document=document,
            section=locate_section(item.start - document.start),
            number=item.number,
            category=item.category,
            content=item.content,
            raw_responsibility=item.raw_responsibility,
            deadline_text=item.deadline_text,
            form=item.form,
            start=item.start - document.start,
            end=item.end - document.start,
        )
        prepared.tasks.append(task)
        prepared.responsibilities[position] = list(_responsibilities(task, item, units))
        prepared.milestones[position] = [
            Milestone(task=task, kind=step.kind, year=step.year, due_on=step.on, text=step.text)
            for step in item.milestones
        ]
    return prepared


def write_document_tasks(document, prepared: PreparedTasks, actor) -> list[KeyTask]:
    """Write prepared tasks in bulk batches, in the caller's transaction, with their lights
    and one audit event for the document."""
    if not prepared.tasks:
        return []
    registered_on = document.written_on or document.published_on or clock.today()
    for task in prepared.tasks:
        task.registered_on = registered_on
    tasks = KeyTask.objects.bulk_create(prepared.tasks, batch_size=BATCH_SIZE)
    TaskResponsibility.objects.bulk_create(
        [row for rows in prepared.responsibilities.values() for row in rows],
        batch_size=BATCH_SIZE,
    )
    Milestone.objects.bulk_create(
        [row for rows in prepared.milestones.values() for row in rows], batch_size=BATCH_SIZE
    )
    refresh_lights([task.pk for task in tasks])
    record_change(
        actor=actor,
        action="tasks.record_document_tasks",
        obj=document,
        after={"tasks": len(tasks), "document_id": document.pk},
    )
    return tasks


def _section_locator(sections: Sequence):
    """The innermost section containing an offset: the last one starting at or before it."""
    ordered = sorted(sections, key=lambda section: (section.start, -section.end))
    starts = [section.start for section in ordered]

    def locate(offset: int):
        index = bisect_right(starts, offset) - 1
        while index >= 0:
            section = ordered[index]
            if section.start <= offset < section.end:
                return section
            index -= 1
        return None

    return locate


def units_by_code(parsed_tasks: Iterable[parsed.KeyTask]) -> dict[str, Unit]:
    codes = {
        code
        for item in parsed_tasks
        for attr in ROLE_OF_LIST
        for ref in getattr(item, attr)
        for code in ref.unit_codes
    }
    return Unit.objects.in_bulk(codes, field_name="code") if codes else {}


def _responsibilities(task: KeyTask, item: parsed.KeyTask, units: dict[str, Unit]):
    for attr, role in ROLE_OF_LIST.items():
        for ref in getattr(item, attr):
            known = [units[code] for code in ref.unit_codes if code in units]
            group = ref.group or ""
            if not known:
                yield TaskResponsibility(
                    task=task, unit=None, role=role, name=ref.name, group=group
                )
            for unit in known:
                yield TaskResponsibility(
                    task=task, unit=unit, role=role, name=ref.name, group=group
                )
