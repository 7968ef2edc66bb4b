"""The drill-down list's one filter: the tasks behind a dashboard number (issue 5, item 3)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from shuzheng.dashboard.queries import accountable_for, due_in
from shuzheng.dashboard.summary import LIGHTS
from shuzheng.filtersets import FilterSet
from shuzheng.tasks.models import KeyTask


class DrilldownFilterSet(FilterSet):
    """Counted tasks by stored light, category, accountable unit code and deadline-year key
    (a year, ``ongoing`` or ``none``), filtered as the dashboard counted them. A
    ``category`` given empty selects the uncategorised tasks; absent, any category."""

    light = django_filters.ChoiceFilter(
        label=_("Status light"), choices=[(light, light) for light in LIGHTS]
    )
    category = django_filters.CharFilter(
        label=_("Category"), max_length=200, method="filter_in_filter_queryset"
    )
    unit = django_filters.CharFilter(
        label=_("Responsible unit"), max_length=64, method="filter_unit"
    )
    year = django_filters.CharFilter(label=_("Deadline year"), max_length=8, method="filter_year")

    class Meta:
        model = KeyTask
        fields = ["light", "category", "unit", "year"]

    @property
    def chosen_category(self) -> str | None:
        """None when the query string has no ``category``; "" selects the uncategorised."""
        if not self.data or "category" not in self.data or "category" in self.form.errors:
            return None
        return self.value("category") or ""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.chosen_category is not None:
            queryset = queryset.filter(category=self.chosen_category)
        return queryset

    def filter_unit(self, queryset, name, value):
        return queryset.filter(accountable_for(value))

    def filter_year(self, queryset, name, value):
        return due_in(queryset, value)

    def filter_in_filter_queryset(self, queryset, name, value):
        return queryset  # an empty category is a value here: filter_queryset applies it
