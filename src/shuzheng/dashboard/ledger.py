"""Reading the key-task ledger for the dashboard and the assessment: one place, read only.

The ledger belongs to ``tasks``: each task's light is stored once, on the task, by
``tasks.services.lights`` (the writes and the scheduled refresh), and the assessment facts
come from ``tasks.selectors.unit_facts``, so the dashboard, the ledger and the assessment
can never disagree (issue 5). This module only turns those rows into what the dashboard
counts; it judges no light itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from shuzheng.dashboard.summary import TaskRow
from shuzheng.orgs.choices import UnitKind
from shuzheng.orgs.models import Unit
from shuzheng.tasks.choices import MilestoneKind, ResponsibilityRole
from shuzheng.tasks.deadlines import milestone_due_on
from shuzheng.tasks.models import Assignment, KeyTask, Milestone, TaskResponsibility
from shuzheng.tasks.scoring import UnitFacts
from shuzheng.tasks.selectors import unit_facts as ledger_unit_facts

#: Roles a task counts for on the dashboard: 牵头 and 负责, not 配合 (issue 5, item 3).
ACCOUNTABLE_ROLES = (ResponsibilityRole.LEAD, ResponsibilityRole.OWNER)
CHUNK = 10000


def ledger_tasks() -> Iterator[TaskRow]:
    """Every top-level task with its stored light (a decomposed task's rolls up its
    sub-tasks), the units it counts for and its milestones. Four queries.

    A task counts for the units named 牵头 or 负责 for it and the units it was assigned to
    (交办); ``filtersets.DrilldownFilterSet`` selects by the same rule. A task whose light was never
    stored (written outside the services) waits for the refresh and is not counted; the page
    says how many wait (``tasks.selectors.lights_age``).
    """
    responsible = _responsible_units()
    assigned = _assigned_units()
    milestones = _milestones()
    tasks = (
        KeyTask.objects.filter(parent__isnull=True)
        .exclude(light="")
        .order_by("pk")
        .values_list("pk", "light", "category")
    )
    for pk, light, category in tasks.iterator(chunk_size=CHUNK):
        units = dict(responsible.get(pk, {}))
        for code, label in assigned.get(pk, ()):
            units.setdefault(code, label)
        dated, ongoing = milestones.get(pk, ((), False))
        yield TaskRow(pk, light, category, tuple(units.items()), tuple(dated), ongoing)


def unit_facts(year: int, today, external: Iterable[str] = ()) -> dict[str, UnitFacts]:
    """The assessment facts of ``tasks.selectors.unit_facts``, keyed by unit code, with the
    shares of the other apps' indicators named in ``external``."""
    facts = ledger_unit_facts(year, today, external=external)
    codes = dict(Unit.objects.filter(pk__in=list(facts)).values_list("pk", "code"))
    return {codes[unit_id]: unit_facts for unit_id, unit_facts in facts.items()}


def _responsible_units() -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = defaultdict(dict)
    rows = TaskResponsibility.objects.filter(
        role__in=ACCOUNTABLE_ROLES, unit__isnull=False
    ).values_list("task_id", "unit__code", "unit__short_name", "unit__name")
    for task_id, code, short_name, name in rows.iterator(chunk_size=CHUNK):
        found[task_id][code] = short_name or name
    return found


def _assigned_units() -> dict[int, list[tuple[str, str]]]:
    """The units each top-level task was assigned to, in assignment order."""
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    rows = (
        Assignment.objects.filter(task__parent__isnull=True)
        .order_by("task_id", "assigned_on", "id")
        .values_list("task_id", "unit__code", "unit__short_name", "unit__name")
    )
    for task_id, code, short_name, name in rows.iterator(chunk_size=CHUNK):
        found[task_id].append((code, short_name or name))
    return found


def _milestones() -> dict[int, tuple[list[tuple], bool]]:
    """Per top-level task, its dated milestones as (due date, achievement date) — a year
    alone is due on 31 December, by ``tasks.deadlines`` — and whether one is ongoing."""
    found: dict[int, tuple[list[tuple], bool]] = {}
    rows = Milestone.objects.filter(task__parent__isnull=True).values_list(
        "task_id", "kind", "year", "due_on", "achieved_on"
    )
    for task_id, kind, year, on, achieved_on in rows.iterator(chunk_size=CHUNK):
        dated, ongoing = found.get(task_id, ([], False))
        due_on = milestone_due_on(kind, year, on)
        if due_on is None:
            ongoing = True
        else:
            dated.append((due_on, achieved_on))
        found[task_id] = (dated, ongoing)
    return found


def government_on_time(region_codes, today) -> dict[str, tuple[str, int, int]]:
    """Per region code, its people's government's unit code, the dated milestones due up to
    ``today`` of the tasks assigned to it (交办; sub-tasks of a split task included) and how
    many were achieved by their due date: the wall screen's map.

    Like the assessment (``tasks.selectors.unit_facts``), a government answers for what it was
    assigned; a task that only names it in its 责任单位 waits for the assignment. Two queries.
    """
    governments = {
        pk: (code, region)
        for pk, code, region in Unit.objects.filter(
            kind=UnitKind.GOVERNMENT, region__code__in=list(region_codes)
        ).values_list("pk", "code", "region__code")
    }
    units_of: dict[int, set[int]] = defaultdict(set)
    for task_id, unit_id in Assignment.objects.filter(unit_id__in=list(governments)).values_list(
        "task_id", "unit_id"
    ):
        units_of[task_id].add(unit_id)
    counts = {pk: [0, 0] for pk in governments}
    milestones = (
        Milestone.objects.filter(task_id__in=list(units_of))
        .exclude(kind=MilestoneKind.ONGOING)
        .values_list("task_id", "kind", "year", "due_on", "achieved_on")
    )
    for task_id, kind, year, on, achieved_on in milestones.iterator(chunk_size=CHUNK):
        due_on = milestone_due_on(kind, year, on)
        if due_on is None or due_on > today:
            continue
        met = achieved_on is not None and achieved_on <= due_on
        for unit_id in units_of[task_id]:
            counts[unit_id][0] += 1
            counts[unit_id][1] += met
    return {
        region: (code, counts[pk][0], counts[pk][1]) for pk, (code, region) in governments.items()
    }
