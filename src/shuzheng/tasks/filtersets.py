"""The ledger's one filter (issue 5, item 4), used by the ledger page, /api/v1/tasks and the
selectors that read the ledger for the dashboard and the reminders (issue 8, item 2)."""

from __future__ import annotations

import django_filters
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from shuzheng.filtersets import BooleanFilter, FilterSet, IdFilter, YearFilter
from shuzheng.tasks.models import Assignment, KeyTask, Milestone, TaskResponsibility
from shuzheng.tasks.status import Light

LIGHT_CHOICES = [
    (Light.RED, _("Red: overdue")),
    (Light.YELLOW, _("Yellow: at risk")),
    (Light.GREEN, _("Green: on track")),
    (Light.GREY, _("Grey: closed or achieved")),
]
SORT_CHOICES = [
    ("number", _("Number")),
    ("deadline", _("Deadline")),
    ("light", _("Status light")),
    ("category", _("Category")),
]
SORTS = tuple(value for value, _label in SORT_CHOICES)
LIGHT_ORDER = {Light.RED: 0, Light.YELLOW: 1, Light.GREEN: 2, Light.GREY: 3}
#: Source order: the document, table before measures, the task's number.
LEDGER_ORDER = ("document_id", "form", "number", "id")
LIGHT_RANK = Case(
    *(When(light=str(light), then=Value(rank)) for light, rank in LIGHT_ORDER.items()),
    default=Value(len(LIGHT_ORDER)),
)
NEXT_DUE_LAST = F("next_due_on").asc(nulls_last=True)
SQL_ORDER = {
    "number": LEDGER_ORDER,
    "deadline": (NEXT_DUE_LAST, *LEDGER_ORDER),
    "light": (LIGHT_RANK, NEXT_DUE_LAST, *LEDGER_ORDER),
    "category": ("category", *LEDGER_ORDER),
}


class LedgerFilterSet(FilterSet):
    """Tasks by stored light, category, unit code (responsible, assigned, or a sub-task's
    unit), milestone year, document and words; sub-tasks are listed under their parent
    unless ``include_subtasks``; sorted in SQL by ``sort`` (:data:`SQL_ORDER`: ``number``;
    ``deadline``, no dated milestone last; ``light``, red first then the earliest deadline;
    ``category``, in the database's collation; ties in source order)."""

    light = django_filters.ChoiceFilter(
        label=_("Status light"), choices=LIGHT_CHOICES, empty_label=_("All lights")
    )
    category = django_filters.CharFilter(label=_("Category"), max_length=200)
    unit = django_filters.CharFilter(label=_("Unit"), max_length=64, method="filter_unit")
    year = YearFilter(label=_("Deadline year"), method="filter_year")
    document = IdFilter(label=_("Document"), field_name="document_id")
    q = django_filters.CharFilter(
        label=_("Words in the task"), max_length=200, method="filter_words"
    )
    include_subtasks = BooleanFilter(label=_("Include sub-tasks"), method="filter_nothing")
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, empty_label=None, method="filter_nothing"
    )

    class Meta:
        model = KeyTask
        fields = ["light", "category", "unit", "year", "document", "q", "include_subtasks"]

    def __init__(self, data=None, *args, **kwargs):
        # Always bound: an empty query string still lists sub-tasks under their parents and
        # in source order (django-filter skips filter_queryset for an unbound FilterSet).
        super().__init__(data if data is not None else {}, *args, **kwargs)

    def filter_queryset(self, queryset):
        """The filters, then the two that shape every listing: sub-tasks under their parent
        unless asked for, and the order (source order unless ``sort`` says otherwise)."""
        queryset = super().filter_queryset(queryset)
        if not self.value("include_subtasks"):
            queryset = queryset.filter(parent__isnull=True)
        return queryset.order_by(*SQL_ORDER[self.value("sort") or "number"])

    def filter_unit(self, queryset, name, value):
        return queryset.filter(
            Q(pk__in=TaskResponsibility.objects.filter(unit__code=value).values("task_id"))
            | Q(pk__in=Assignment.objects.filter(unit__code=value).values("task_id"))
            | Q(unit__code=value)
            | Q(pk__in=KeyTask.objects.filter(unit__code=value).values("parent_id"))
        )

    def filter_year(self, queryset, name, value):
        return queryset.filter(pk__in=Milestone.objects.filter(year=value).values("task_id"))

    def filter_words(self, queryset, name, value):
        return queryset.filter(Q(content__icontains=value) | Q(category__icontains=value))

    def filter_nothing(self, queryset, name, value):
        """``include_subtasks`` and ``sort`` act in :meth:`filter_queryset`."""
        return queryset


DOCUMENT_TASK_SORT_CHOICES = [
    ("number", _("Number")),
    ("category", _("Category")),
    ("deadline", _("Deadline year")),
]
DOCUMENT_TASK_ORDER = {
    "number": ("form", "number"),
    "category": ("category", "form", "number"),
    # the latest milestone year; tasks without one last
    "deadline": (F("deadline_year").asc(nulls_last=True), "form", "number"),
}


class DocumentTaskFilterSet(FilterSet):
    """A document's key tasks (its page's task table and ``/api/v1/documents/{id}/tasks``;
    issue 3, item 9): by a responsible unit (orgs Unit code) and a milestone year, sorted
    by number, category or deadline year."""

    unit = django_filters.CharFilter(
        label=_("Responsible unit"), max_length=64, method="filter_unit"
    )
    year = YearFilter(label=_("Year"), method="filter_year")
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=DOCUMENT_TASK_SORT_CHOICES,
        empty_label=None,
        method="filter_nothing",
    )

    class Meta:
        model = KeyTask
        fields = ["unit", "year", "sort"]

    def __init__(self, data=None, *args, **kwargs):
        # Always bound, so that an empty query string is sorted by number too.
        super().__init__(data if data is not None else {}, *args, **kwargs)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset.order_by(*DOCUMENT_TASK_ORDER[self.value("sort") or "number"])

    def filter_unit(self, queryset, name, value):
        responsible = TaskResponsibility.objects.filter(unit__code=value).values("task_id")
        return queryset.filter(pk__in=responsible)

    def filter_year(self, queryset, name, value):
        return queryset.filter(pk__in=Milestone.objects.filter(year=value).values("task_id"))

    def filter_nothing(self, queryset, name, value):
        """``sort`` acts in :meth:`filter_queryset`."""
        return queryset
