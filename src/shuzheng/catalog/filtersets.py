"""The catalog's list filters (issue 11, point 7), one FilterSet per list, used by the
provider's and the office's pages and by ``/api/v1/catalog/resources``."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuzheng.catalog.choices import Grade, OpenType, ShareType, State, UpdateFrequency
from shuzheng.catalog.models import DataResource
from shuzheng.filtersets import FilterSet

SORT_CHOICES = [
    ("code", _("Resource code")),
    ("title", _("Resource name")),
    ("-modified", _("Last changed, newest first")),
    ("modified", _("Last changed, oldest first")),
]
SQL_ORDER = {
    "code": ("code", "id"),
    "title": ("title", "id"),
    "-modified": ("-modified_at", "-id"),
    "modified": ("modified_at", "id"),
}


class ResourceFilterSet(FilterSet):
    """Resources by workflow state, category (a node and everything under it, by its code),
    share type, open type, grade, update frequency, provider unit code and words of the name,
    code or summary; sorted by code unless ``sort`` says otherwise."""

    state = django_filters.ChoiceFilter(
        label=_("State"), choices=State.choices, empty_label=_("All states")
    )
    category = django_filters.CharFilter(
        label=_("Resource category"), max_length=24, method="filter_category"
    )
    share_type = django_filters.ChoiceFilter(
        label=_("Share type"), choices=ShareType.choices, empty_label=_("All share types")
    )
    open_type = django_filters.ChoiceFilter(
        label=_("Open type"), choices=OpenType.choices, empty_label=_("All open types")
    )
    grade = django_filters.ChoiceFilter(
        label=_("Grade"), choices=Grade.choices, empty_label=_("All grades")
    )
    update_frequency = django_filters.ChoiceFilter(
        label=_("Update frequency"),
        choices=UpdateFrequency.choices,
        empty_label=_("All update frequencies"),
    )
    provider = django_filters.CharFilter(
        label=_("Provider"), max_length=64, field_name="provider__code"
    )
    q = django_filters.CharFilter(label=_("Words"), max_length=200, method="filter_words")
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, empty_label=None, method="filter_nothing"
    )

    class Meta:
        model = DataResource
        fields = [
            "state",
            "category",
            "share_type",
            "open_type",
            "grade",
            "update_frequency",
            "provider",
            "q",
        ]

    def __init__(self, data=None, *args, **kwargs):
        # Always bound, so that an empty query string is sorted too.
        super().__init__(data if data is not None else {}, *args, **kwargs)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset.order_by(*SQL_ORDER[self.value("sort") or "code"])

    def filter_category(self, queryset, name, value):
        """The category's code is the prefix of its resources' codes (``catalog.codes``)."""
        return queryset.filter(category__code__startswith=value.strip())

    def filter_words(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(code__icontains=value) | Q(summary__icontains=value)
        )

    def filter_nothing(self, queryset, name, value):
        """``sort`` acts in :meth:`filter_queryset`."""
        return queryset


class ReviewQueueFilterSet(FilterSet):
    """The catalog office's queue: submitted resources, the longest waiting first, by
    provider unit code, grade and words."""

    provider = django_filters.CharFilter(
        label=_("Provider"), max_length=64, field_name="provider__code"
    )
    grade = django_filters.ChoiceFilter(
        label=_("Grade"), choices=Grade.choices, empty_label=_("All grades")
    )
    q = django_filters.CharFilter(label=_("Words"), max_length=200, method="filter_words")

    class Meta:
        model = DataResource
        fields = ["provider", "grade", "q"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data if data is not None else {}, *args, **kwargs)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset).filter(state=State.SUBMITTED)
        return queryset.order_by("submitted_at", "id")

    filter_words = ResourceFilterSet.filter_words
