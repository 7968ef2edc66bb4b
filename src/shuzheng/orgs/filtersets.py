"""The registry lists' filters: /api/v1/orgs/regions, /api/v1/orgs/units and the registry
page's tree (/orgs/)."""

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
        return queryset.filter(unit_named(value.strip()))


class RegistryFilterSet(FilterSet):
    """The registry page's tree: the units whose names match ``q``, and every unit of a
    region whose name matches, with the regions below it (:meth:`whole_regions`)."""

    q = django_filters.CharFilter(
        label=_("Filter by name"),
        help_text=_("Full name, short name, alias or code of a unit, or the name of a region."),
        max_length=200,
        method="filter_name",
    )

    class Meta:
        model = Unit
        fields = ["q"]

    def filter_name(self, queryset, name, value):
        return queryset.filter(unit_named(value) | Q(region_id__in=self.whole_regions()))

    def whole_regions(self) -> set[int]:
        """The ids of the regions shown whole: those whose name matches ``q`` and every
        region below them; none without a (valid) ``q``."""
        query = self.value("q")
        return selectors.regions_named_with_descendants(query) if query else set()


def unit_named(text: str) -> Q:
    """Units whose name, short name, code or an alias contains ``text``."""
    # aliases is a JSON list; its text form contains every alias on both databases.
    return (
        Q(name__icontains=text)
        | Q(short_name__icontains=text)
        | Q(code__icontains=text)
        | Q(aliases__icontains=text)
    )
