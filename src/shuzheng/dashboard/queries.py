"""Reads behind the dashboard's numbers: the drill-down lists (issue 5, item 3).

Every number on the dashboard links to a list filtered the same way it was counted, from
the same stored lights (``KeyTask.light``, the one store), so while the snapshot is fresh
the list has exactly as many tasks as the number said.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, ExtractYear

from shuzheng.dashboard.ledger import ACCOUNTABLE_ROLES
from shuzheng.dashboard.summary import ONGOING, UNREAD
from shuzheng.tasks.choices import MilestoneKind
from shuzheng.tasks.models import Assignment, KeyTask, Milestone, TaskResponsibility
from shuzheng.tasks.rendering import stored_reason
from shuzheng.tasks.status import Light

RED_LIST_LENGTH = 15
#: The earliest date the reason speaks of first: for red tasks, the most overdue first;
#: rows without a date last on both databases.
MOST_OVERDUE = F("light_on").asc(nulls_last=True)


@dataclass(frozen=True, slots=True)
class Drilldown:
    """What a drill-down list is filtered by, for its heading (``filtersets.DrilldownFilterSet``
    validates and applies the filters); empty strings mean "any"."""

    light: str = ""
    category: str | None = None  # None: any; "" selects the uncategorised tasks
    unit: str = ""  # unit code
    year: str = ""  # deadline year key (summary.TaskRow.deadline_year)

    @property
    def is_empty(self) -> bool:
        return not (self.light or self.category is not None or self.unit or self.year)


@dataclass(frozen=True, slots=True)
class LightRow:
    """A task of a dashboard list with its stored light's reason in the reader's language."""

    task: KeyTask
    text: str

    @property
    def task_id(self) -> int:
        return self.task.pk

    @property
    def light(self) -> str:
        return self.task.light

    @property
    def category(self) -> str:
        return self.task.category


def counted_tasks() -> QuerySet[KeyTask]:
    """The tasks the dashboard counts: top-level ones with a stored light (ledger.ledger_tasks)."""
    return KeyTask.objects.filter(parent__isnull=True).exclude(light="")


def red_tasks(limit: int = RED_LIST_LENGTH) -> QuerySet[KeyTask]:
    """The most overdue red tasks, for the overview's list (the full list is a drill-down)."""
    return counted_tasks().filter(light=Light.RED).order_by(MOST_OVERDUE, "pk")[:limit]


def with_reasons(tasks, today: date) -> list[LightRow]:
    return [LightRow(task, stored_reason(task, today)) for task in tasks]


def due_in(tasks: QuerySet[KeyTask], year_key: str) -> QuerySet[KeyTask]:
    """Tasks of a deadline-year key as ``summary.TaskRow.deadline_year`` computes it: the
    year of the last dated milestone (a year alone is due in that year), else ongoing
    (持续推进) when a milestone is ongoing, else unread."""
    dated = Milestone.objects.filter(task=OuterRef("pk")).exclude(kind=MilestoneKind.ONGOING)
    if year_key == ONGOING:
        ongoing = Milestone.objects.filter(task=OuterRef("pk"), kind=MilestoneKind.ONGOING)
        return tasks.filter(~Exists(dated), Exists(ongoing))
    if year_key == UNREAD:
        return tasks.filter(~Exists(Milestone.objects.filter(task=OuterRef("pk"))))
    if not year_key.isdigit():
        return tasks.none()
    due_year = Coalesce(ExtractYear("due_on"), "year", output_field=IntegerField())
    last_year = dated.annotate(due_year=due_year).order_by("-due_year").values("due_year")[:1]
    return tasks.annotate(last_due_year=Subquery(last_year)).filter(last_due_year=int(year_key))


def accountable_for(unit_code: str) -> Q:
    """Tasks a unit is counted for: named 牵头 or 负责, or assigned (交办), as
    ``ledger.ledger_tasks`` counts them."""
    responsible = TaskResponsibility.objects.filter(
        unit__code=unit_code, role__in=ACCOUNTABLE_ROLES
    ).values("task_id")
    assigned = Assignment.objects.filter(unit__code=unit_code).values("task_id")
    return Q(pk__in=responsible) | Q(pk__in=assigned)
