"""Reading the registry's lists (the filters are ``orgs.filtersets``)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from shuzheng.orgs.models import Region, Unit


def regions() -> QuerySet[Region]:
    """Every administrative region, by GB/T 2260 code."""
    return Region.objects.select_related("parent").order_by("code")


def units() -> QuerySet[Unit]:
    """Every unit, by code, with its region and parent (the API prints their codes)."""
    return Unit.objects.select_related("region", "parent").order_by("code")


def regions_named_with_descendants(text: str) -> set[int]:
    """The ids of the regions whose name or short name contains ``text``, and of every
    region below them (two queries)."""
    parents = dict(Region.objects.values_list("pk", "parent_id"))
    named = set(
        Region.objects.filter(Q(name__contains=text) | Q(short_name__contains=text)).values_list(
            "pk", flat=True
        )
    )
    return {pk for pk in parents if any(_has_ancestor(pk, match, parents) for match in named)}


def region_and_descendants(code: str) -> set[str]:
    """``code`` and the codes of every region below it (one query)."""
    parents = dict(Region.objects.values_list("code", "parent__code"))
    return {candidate for candidate in parents if _has_ancestor(candidate, code, parents)}


def _has_ancestor(code, ancestor, parents: dict) -> bool:
    seen = set()
    while code is not None and code not in seen:
        if code == ancestor:
            return True
        seen.add(code)
        code = parents.get(code)
    return False
