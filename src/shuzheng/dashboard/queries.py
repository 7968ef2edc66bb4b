"""Reads behind the dashboard's numbers: the drill-down lists (issue 5, item 3).

Every number on the dashboard links to a list filtered the same way it was counted, from the
same snapshot rows, so the list always has exactly as many tasks as the number said.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from shuzheng.dashboard.ledger import ACCOUNTABLE_ROLES
from shuzheng.dashboard.models import TaskLight
from shuzheng.dashboard.summary import LIGHTS
from shuzheng.tasks.models import Assignment, TaskResponsibility

RED_LIST_LENGTH = 15
#: Most days overdue first; rows without a day count last on both databases.
MOST_OVERDUE = F("days").desc(nulls_last=True)


@dataclass(frozen=True, slots=True)
class Drilldown:
    """The filters of a drill-down list; empty strings mean "any"."""

    light: str = ""
    category: str | None = None  # None: any; "" selects the uncategorised tasks
    unit: str = ""  # unit code
    year: str = ""  # deadline year key (summary.TaskRow.deadline_year)

    @classmethod
    def from_query(cls, query) -> Drilldown:
        light = query.get("light", "")
        return cls(
            light=light if light in LIGHTS else "",
            category=query.get("category"),
            unit=query.get("unit", "")[:64],
            year=query.get("year", "")[:8],
        )

    @property
    def is_empty(self) -> bool:
        return not (self.light or self.category is not None or self.unit or self.year)


def drilldown_tasks(filters: Drilldown) -> QuerySet[TaskLight]:
    """The snapshot's task rows matching ``filters``, most overdue first."""
    rows = TaskLight.objects.select_related("task")
    if filters.light:
        rows = rows.filter(light=filters.light)
    if filters.category is not None:
        rows = rows.filter(category=filters.category)
    if filters.year:
        rows = rows.filter(deadline_year=filters.year)
    if filters.unit:
        rows = rows.filter(accountable_for(filters.unit))
    return rows.order_by(MOST_OVERDUE, "task_id")


def red_tasks(limit: int = RED_LIST_LENGTH) -> list[TaskLight]:
    """The most overdue red tasks, for the overview's list (the full list is a drill-down)."""
    return list(
        TaskLight.objects.filter(light="red")
        .select_related("task")
        .order_by(MOST_OVERDUE, "task_id")[:limit]
    )


def accountable_for(unit_code: str) -> Q:
    """Task rows a unit is counted for: named 牵头 or 负责, or assigned (交办), as
    ``ledger.ledger_tasks`` counts them."""
    responsible = TaskResponsibility.objects.filter(
        unit__code=unit_code, role__in=ACCOUNTABLE_ROLES
    ).values("task_id")
    assigned = Assignment.objects.filter(unit__code=unit_code).values("task_id")
    return Q(task_id__in=responsible) | Q(task_id__in=assigned)
