"""Use cases of the organisations registry."""

from django.db.models import Count, Prefetch

from shuzheng.orgs.models import Region


def registry_overview() -> list[Region]:
    """Top-level regions with their child regions and units, for the home page."""
    return list(
        Region.objects.filter(parent__isnull=True)
        .annotate(unit_count=Count("units"))
        .prefetch_related(
            Prefetch("children", queryset=Region.objects.annotate(unit_count=Count("units"))),
        )
    )
