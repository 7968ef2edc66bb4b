"""Recording a document's key tasks (issue 3, item 9): the ingest step's write."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence

from shuzheng import clock
from shuzheng.audit.services import record_change
from shuzheng.documents.parsing import model as parsed
from shuzheng.orgs.models import Unit
from shuzheng.tasks.choices import ResponsibilityRole
from shuzheng.tasks.models import KeyTask, Milestone, TaskResponsibility
from shuzheng.tasks.services.lights import refresh_lights

ROLE_OF_LIST = {
    "lead_units": ResponsibilityRole.LEAD,
    "owner_units": ResponsibilityRole.OWNER,
    "supporting_units": ResponsibilityRole.SUPPORTING,
}


def record_document_tasks(document, parsed_tasks: Sequence[parsed.KeyTask], actor) -> list[KeyTask]:
    """Store a document's key tasks with their responsible units and milestones.

    Issue 3, item 9: every task of a task list (and every inline 〔责任单位：…〕 measure) becomes
    a KeyTask; each resolved unit code becomes one TaskResponsibility, and a name the resolver
    could not place is kept with an empty unit so no responsibility is lost. Runs inside the
    caller's transaction (the ingest step of tasks.hooks); writes in bulk, one audit event
    per document rather than per task.
    """
    if not parsed_tasks:
        return []
    locate_section = _section_locator(document)
    registered_on = document.written_on or document.published_on or clock.today()
    tasks = KeyTask.objects.bulk_create(
        KeyTask(
            document=document,
            section_id=locate_section(item.start - document.start),
            number=item.number,
            category=item.category,
            content=item.content,
            raw_responsibility=item.raw_responsibility,
            deadline_text=item.deadline_text,
            form=item.form,
            start=item.start - document.start,
            end=item.end - document.start,
            registered_on=registered_on,
        )
        for item in parsed_tasks
    )
    units = _units_by_code(parsed_tasks)
    TaskResponsibility.objects.bulk_create(
        row
        for task, item in zip(tasks, parsed_tasks, strict=True)
        for row in _responsibilities(task, item, units)
    )
    Milestone.objects.bulk_create(
        Milestone(task=task, kind=step.kind, year=step.year, due_on=step.on, text=step.text)
        for task, item in zip(tasks, parsed_tasks, strict=True)
        for step in item.milestones
    )
    refresh_lights([task.pk for task in tasks])
    record_change(
        actor=actor,
        action="tasks.record_document_tasks",
        obj=document,
        after={"tasks": len(tasks), "document_id": document.pk},
    )
    return tasks


def _section_locator(document):
    """The innermost section containing an offset: the last one starting at or before it."""
    sections = list(document.sections.order_by("start", "-end").values_list("id", "start", "end"))
    starts = [start for _, start, _ in sections]

    def locate(offset: int) -> int | None:
        index = bisect_right(starts, offset) - 1
        while index >= 0:
            section_id, start, end = sections[index]
            if start <= offset < end:
                return section_id
            index -= 1
        return None

    return locate


def _units_by_code(parsed_tasks: Iterable[parsed.KeyTask]) -> dict[str, Unit]:
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
