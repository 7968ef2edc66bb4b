"""The registry lists' filters, used by /api/v1/orgs/regions and /api/v1/orgs/units."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuzheng.filtersets import FilterSet
from shuzheng.orgs import selectors
from shuzheng.orgs.choices import RegionLevel, UnitKind
from shuzheng.orgs.models import Region, Unit


class RegionFilterSet(FilterSet):
    """Regions by level and by the region directly above them (its code)."""

    level = django_filters.ChoiceFilter(label=_("Level"), choices=RegionLevel.choices)
    parent = django_filters.CharFilter(
        label=_("Parent region"), field_name="parent__code", max_length=12
    )

    class Meta:
        model = Region
        fields = ["level", "parent"]


class UnitFilterSet(FilterSet):
    """Units by region code (the region and everything below it), kind and text."""

    region = django_filters.CharFilter(label=_("Region"), max_length=12, method="filter_region")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=UnitKind.choices)
    q = django_filters.CharFilter(
        label=_("Part of a name, short name, alias or code"), max_length=200, method="filter_text"
    )

    class Meta:
        model = Unit
        fields = ["region", "kind", "q"]

    def filter_region(self, queryset, name, value):
        return queryset.filter(region__code__in=selectors.region_and_descendants(value))

    def filter_text(self, queryset, name, value):
        # aliases is a JSON list; its text form contains every alias on both databases.
        value = value.strip()
        return queryset.filter(
            Q(name__icontains=value)
            | Q(short_name__icontains=value)
            | Q(code__icontains=value)
            | Q(aliases__icontains=value)
        )
