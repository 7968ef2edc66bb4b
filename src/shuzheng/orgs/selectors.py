"""Reading the registry's lists (the filters are ``orgs.filtersets``)."""

from __future__ import annotations

from django.db.models import QuerySet

from shuzheng.orgs.models import Region, Unit


def regions() -> QuerySet[Region]:
    """Every administrative region, by GB/T 2260 code."""
    return Region.objects.select_related("parent").order_by("code")


def units() -> QuerySet[Unit]:
    """Every unit, by code, with its region and parent (the API prints their codes)."""
    return Unit.objects.select_related("region", "parent").order_by("code")


def region_and_descendants(code: str) -> set[str]:
    """``code`` and the codes of every region below it (one query)."""
    parents = dict(Region.objects.values_list("code", "parent__code"))
    return {candidate for candidate in parents if _has_ancestor(candidate, code, parents)}


def _has_ancestor(code: str | None, ancestor: str, parents: dict) -> bool:
    seen = set()
    while code is not None and code not in seen:
        if code == ancestor:
            return True
        seen.add(code)
        code = parents.get(code)
    return False
