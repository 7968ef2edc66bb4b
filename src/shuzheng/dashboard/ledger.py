"""Reading the key-task ledger for the dashboard and the assessment: one place, read only.

The ledger belongs to ``tasks``; its read API (``tasks.selectors.ledger_rows`` and
``unit_facts``) decides every light and every assessment fact, so the dashboard, the ledger
and the assessment can never disagree (issue 5). This module only turns those rows into
what the dashboard counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from shuzheng.dashboard.summary import TaskRow
from shuzheng.orgs.models import Unit
from shuzheng.tasks.choices import ResponsibilityRole
from shuzheng.tasks.deadlines import milestone_due_on
from shuzheng.tasks.models import TaskResponsibility
from shuzheng.tasks.scoring import UnitFacts
from shuzheng.tasks.selectors import LedgerFilters, LedgerRow, ledger_rows
from shuzheng.tasks.selectors import unit_facts as ledger_unit_facts

#: Roles a task counts for on the dashboard: 牵头 and 负责, not 配合 (issue 5, item 3).
ACCOUNTABLE_ROLES = (ResponsibilityRole.LEAD, ResponsibilityRole.OWNER)


@dataclass(frozen=True, slots=True)
class LedgerTask:
    """A top-level task of the ledger as the dashboard counts it."""

    row: LedgerRow
    units: tuple[tuple[str, str], ...]  # (code, short name or name)

    @property
    def task_id(self) -> int:
        return self.row.task.pk

    @property
    def days(self) -> int | None:
        """Days overdue (or left) of the verdict that decides the task's light."""
        return _deciding_days(self.row)

    def summary_row(self) -> TaskRow:
        """Dated milestones with their due dates (a year alone is due on 31 December, by
        ``tasks.deadlines``) and achievement dates, for the on-time trend."""
        dated = []
        ongoing = False
        for item in self.row.milestones:
            milestone = item.milestone
            due_on = milestone_due_on(milestone.kind, milestone.year, milestone.due_on)
            if due_on is None:
                ongoing = True
            else:
                dated.append((due_on, milestone.achieved_on))
        return TaskRow(
            self.task_id,
            str(self.row.light),
            self.row.task.category,
            self.units,
            tuple(dated),
            ongoing,
        )


def ledger_tasks(today: date) -> Iterator[LedgerTask]:
    """Every top-level task (sub-tasks roll up into their parent) with its light as of today.

    A task counts for the units named 牵头 or 负责 for it and the units it was assigned to
    (交办); ``queries.drilldown_tasks`` selects by the same rule.
    """
    responsible = _responsible_units()
    for row in ledger_rows(LedgerFilters(), today):
        units = dict(responsible.get(row.task.pk, {}))
        for assignment in row.assignments:
            units.setdefault(assignment.unit.code, _unit_label(assignment.unit))
        yield LedgerTask(row, tuple(units.items()))


def unit_facts(year: int, today: date) -> dict[str, UnitFacts]:
    """The assessment facts of ``tasks.selectors.unit_facts``, keyed by unit code."""
    facts = ledger_unit_facts(year, today)
    codes = dict(Unit.objects.filter(pk__in=list(facts)).values_list("pk", "code"))
    return {codes[unit_id]: unit_facts for unit_id, unit_facts in facts.items()}


def _responsible_units() -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = defaultdict(dict)
    rows = TaskResponsibility.objects.filter(
        role__in=ACCOUNTABLE_ROLES, unit__isnull=False
    ).values_list("task_id", "unit__code", "unit__short_name", "unit__name")
    for task_id, code, short_name, name in rows.iterator(chunk_size=10000):
        found[task_id][code] = short_name or name
    return found


def _unit_label(unit: Unit) -> str:
    return unit.short_name or unit.name


def _deciding_days(row: LedgerRow) -> int | None:
    """A rolled-up row's light comes from its sub-tasks: take the largest day count among
    the sub-tasks of that light, so the most overdue task is listed first."""
    if not row.subtasks:
        return row.own_status.verdict.days
    days = [_deciding_days(sub) for sub in row.subtasks if sub.light == row.light]
    return max((day for day in days if day is not None), default=None)
