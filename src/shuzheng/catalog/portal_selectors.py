"""Reads of the public open-data portal (issue 11, item 5): the dataset search the portal's
pages and the CKAN Action API's ``package_search`` share, and the public dataset page's
rows.

Searching goes through the one search interface (``shuzheng.search``): the catalog's index
source (``catalog.indexing``) puts the entries in, and what the public sees is decided when
they are indexed (``grading.is_open_to_public``; core data never indexed).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.db.models import Count, Prefetch

from shuzheng.accounts.authorization import has_perm
from shuzheng.catalog.models import DataField, DataResource, Distribution, ResourceCategory
from shuzheng.search import services as search
from shuzheng.search.backends.tantivy_index import DATASET_SORTS
from shuzheng.search.items import DATASET_FACETS
from shuzheng.search.query import FacetValue

#: The sorts ``search_datasets`` takes: relevance, most recently changed first, by name.
SORTS: tuple[str, ...] = DATASET_SORTS
#: The facets a dataset search filters and counts by (``search.items.DATASET_FACETS``).
FACETS: tuple[str, ...] = DATASET_FACETS
#: Who sees the entries that are not public (``include_private``): the catalog office.
PRIVATE_PERMISSION = "review_catalog"


class SearchArgumentError(ValueError):
    """A facet or sort the dataset search does not know (a caller's mistake, not a
    visitor's: the pages and the CKAN API offer only the known ones)."""


@dataclass(frozen=True)
class DatasetResults:
    """What ``search_datasets`` found: ``hits`` the resource ids of the page in order,
    ``total`` every hit's count, ``facets`` facet → values with their counts over every
    hit (most frequent first)."""

    hits: list[int]
    total: int
    facets: dict[str, list[FacetValue]]


def sees_private(user) -> bool:
    """May ``user`` find entries that are published but not open to the public?"""
    return user is not None and has_perm(user, PRIVATE_PERMISSION)


def search_datasets(
    query: str,
    *,
    filters: Mapping[str, str | Collection[str]],
    sort: str,
    offset: int,
    limit: int,
    facet_fields: Collection[str],
    include_private: bool,
    user,
) -> DatasetResults:
    """Search the catalog's datasets (the portal and CKAN's ``package_search``).

    ``query`` is typed text in the library's query language (words, "phrases", -excluded);
    ``filters`` maps a facet of ``FACETS`` to one value or several (any of them; every facet
    named must match); ``sort`` one of ``SORTS``; ``offset`` and ``limit`` the page
    (``limit`` 0: counts only); ``facet_fields`` the facets to count; ``include_private``
    adds the published entries that are not open when ``user`` is of the catalog office
    (``review_catalog``), and is ignored for anyone else. Core data is never found.
    Raises ``search.query.QueryError`` on bad text and ``SearchArgumentError`` on an unknown
    facet or sort."""
    unknown = (set(filters) | set(facet_fields)) - set(FACETS)
    if unknown:
        raise SearchArgumentError(f"unknown facets: {', '.join(sorted(unknown))}")
    if sort not in SORTS:
        raise SearchArgumentError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    if offset < 0 or limit < 0:
        raise SearchArgumentError("offset and limit cannot be negative")
    values = {
        facet: (value,) if isinstance(value, str) else tuple(value)
        for facet, value in filters.items()
    }
    found = search.find_datasets(
        query,
        facet_values=values,
        facets=tuple(facet_fields),
        sort=sort,
        offset=offset,
        limit=max(limit, 1),
        public_only=not (include_private and sees_private(user)),
    )
    return DatasetResults(found.resource_ids[:limit], found.total, found.facets)


#: The portal's order by download counts (not an order of the search engine: the counts
#: change with every download, the index with every edit).
BY_DOWNLOADS = "downloads"


def search_datasets_by_downloads(
    query: str,
    *,
    filters: Mapping[str, str | Collection[str]],
    offset: int,
    limit: int,
    facet_fields: Collection[str],
    include_private: bool,
    user,
) -> DatasetResults:
    """``search_datasets`` with the most downloaded first (the portal's 下载最多; issue 11,
    point 5), then the rest most recently changed first. The search finds every hit's id
    (most recently changed first) and the download counts (``downloads.most_downloaded``)
    put the downloaded ones in front: two searches and one query, whatever the page."""
    from shuzheng.catalog import downloads

    options = {"filters": filters, "sort": "modified", "include_private": include_private}
    first = search_datasets(
        query, offset=0, limit=0, facet_fields=facet_fields, user=user, **options
    )
    if first.total == 0:
        return first
    every = search_datasets(
        query, offset=0, limit=first.total, facet_fields=(), user=user, **options
    ).hits
    found = set(every)
    downloaded = [pk for pk in downloads.most_downloaded() if pk in found]
    front = set(downloaded)
    ordered = downloaded + [pk for pk in every if pk not in front]
    return DatasetResults(ordered[offset : offset + limit], first.total, first.facets)


def datasets_in_order(ids: list[int]) -> list[DataResource]:
    """The entries of a results page in the search's order, with what the list shows
    (provider, category, distributions' formats) read in three queries."""
    rows = DataResource.objects.filter(pk__in=ids).select_related("provider", "category")
    rows = rows.prefetch_related(
        Prefetch("distributions", queryset=Distribution.objects.only("resource_id", "format"))
    )
    by_id = {row.pk: row for row in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


@dataclass(frozen=True)
class PortalCounts:
    """The portal home's figures: open datasets, the units providing them, their
    distributions."""

    datasets: int
    providers: int
    distributions: int


def portal_counts() -> PortalCounts:
    """What the open catalog holds, by the public rule (``open_to_public``)."""
    public = DataResource.objects.open_to_public()
    numbers = public.aggregate(datasets=Count("pk"), providers=Count("provider", distinct=True))
    distributions = Distribution.objects.filter(resource__in=public).count()
    return PortalCounts(numbers["datasets"], numbers["providers"], distributions)


def category_names(slugs: Collection[str]) -> dict[str, str]:
    """The names of the classes a category facet lists, by slug."""
    return dict(ResourceCategory.objects.filter(slug__in=list(slugs)).values_list("slug", "name"))


def public_dataset(pk: int) -> DataResource | None:
    """The entry the public dataset page shows, with its items and distributions; None when
    it is not open to the public (``grading.is_open_to_public``: core and important data,
    unpublished, 不予开放)."""
    return (
        DataResource.objects.open_to_public()
        .select_related("provider", "category__parent__parent__parent")
        .prefetch_related(Prefetch("fields", queryset=DataField.objects.order_by("position")))
        .prefetch_related("distributions")
        .filter(pk=pk)
        .first()
    )
