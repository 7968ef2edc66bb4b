"""The public open-data portal's pages (issue 11, item 5), for everyone, signed in or not.

``/data/`` is the portal's home and its search: a search box, the counts of the open
catalog, facets (provider, domain, format, update frequency, open type) and the results
with paging and sorting. It works without JavaScript (a GET form and plain links); a facet
list longer than ``FACET_SHOWN`` is collapsed behind the browser's own disclosure widget.
What the public sees is what the search index holds as public (``catalog.indexing``).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shuzheng import bounds
from shuzheng.accounts.authorization import require_perm
from shuzheng.catalog import dcat, downloads, portal_selectors, preview_selectors
from shuzheng.catalog.choices import LICENSE_NAMES, Grade, OpenType, UpdateFrequency
from shuzheng.search.query import QueryError

#: Datasets on one results page.
PAGE_SIZE = 20
#: Values of a facet shown before its "more" (issue 11, item 5: the top 8).
FACET_SHOWN = 8
#: The facets the portal offers, their URL parameter (the facet's name) and heading.
PORTAL_FACETS: dict[str, object] = {
    "provider": _("Provider"),
    "domain": _("Domain"),
    "format": _("Format"),
    "frequency": _("Update frequency"),
    "open_type": _("Open type"),
}
#: Facets whose stored values are codes, shown by their labels.
VALUE_LABELS = {
    "frequency": dict(UpdateFrequency.choices),
    "open_type": dict(OpenType.choices),
    "grade": dict(Grade.choices),
}
SORT_LABELS = {
    "relevance": _("Relevance"),
    "modified": _("Recently updated"),
    "name": _("Name"),
    portal_selectors.BY_DOWNLOADS: _("Most downloaded"),
}
#: Longest search text the box takes (the search query's own limit is longer).
MAX_QUERY = 200


def _page_number(text: str) -> int:
    """The page asked for; anything that is not a page number shows the first page."""
    return int(text) if text.isdigit() and 1 <= int(text) <= bounds.PAGE_MAX else 1


def _url(params: dict, **changes) -> str:
    merged = {**params, **changes}
    return "?" + urlencode({key: value for key, value in merged.items() if value})


@require_perm("view_published")
def home(request):
    """The portal's home and search page."""
    params = {
        "q": request.GET.get("q", "").strip()[:MAX_QUERY],
        **{name: request.GET.get(name, "") for name in PORTAL_FACETS},
        "sort": request.GET.get("sort", ""),
        "page": request.GET.get("page", ""),
    }
    sort = params["sort"] if params["sort"] in SORT_LABELS else ""
    sort = sort or ("relevance" if params["q"] else "modified")
    page = _page_number(params["page"])
    context = {"params": params, "sort": sort, "sorts": SORT_LABELS, "error": ""}
    status = 200
    search = {
        "filters": {name: params[name] for name in PORTAL_FACETS if params[name]},
        "offset": (page - 1) * PAGE_SIZE,
        "limit": PAGE_SIZE,
        "facet_fields": list(PORTAL_FACETS),
        "include_private": False,
        "user": request.user,
    }
    try:
        if sort == portal_selectors.BY_DOWNLOADS:
            results = portal_selectors.search_datasets_by_downloads(params["q"], **search)
        else:
            results = portal_selectors.search_datasets(params["q"], sort=sort, **search)
    except QueryError as error:
        context["error"] = error.describe(gettext)
        status = 400
        results = None
    if results is not None:
        pages = max(1, -(-results.total // PAGE_SIZE))
        context |= {
            "results": results,
            "datasets": _with_downloads(portal_selectors.datasets_in_order(results.hits)),
            "facets": _facet_links(params, results),
            "page": page,
            "pages": pages,
            "previous_url": _url(params, page=str(page - 1)) if page > 1 else "",
            "next_url": _url(params, page=str(page + 1)) if page < pages else "",
            "filtered": any(params[name] for name in ("q", *PORTAL_FACETS)),
        }
    context["counts"] = portal_selectors.portal_counts()
    return render(request, "catalog/portal/home.html", context, status=status)


def _with_downloads(datasets: list) -> list:
    """The page's datasets, each with its download count (``downloads``: the total)."""
    counts = downloads.counts_of([dataset.pk for dataset in datasets])
    for dataset in datasets:
        dataset.downloads = counts.of_resource(dataset.pk)["total"]
    return datasets


def _facet_links(params: dict, results) -> list[dict]:
    """Each facet with its values as filter links; the active value links to its removal."""
    facets = []
    for name, label in PORTAL_FACETS.items():
        values = []
        for item in results.facets.get(name, []):
            active = params.get(name) == item.value
            url = _url(params, page="", **{name: "" if active else item.value})
            shown = VALUE_LABELS.get(name, {}).get(item.value, item.value)
            values.append({"label": shown, "count": item.count, "active": active, "url": url})
        if values:
            more = values[FACET_SHOWN:]
            facets.append(
                {
                    "name": name,
                    "label": label,
                    "shown": values[:FACET_SHOWN],
                    "more": more,
                    "more_active": any(item["active"] for item in more),
                }
            )
    return facets


@require_perm("view_published")
def dataset(request, pk: int):
    """A dataset's public page: what it is, its information items, its distributions (to
    download when it is open unconditionally; the conditions and how to apply when it is
    open on conditions) and its DCAT-AP documents. Anything not public is a 404."""
    resource = portal_selectors.public_dataset(pk)
    if resource is None:
        raise Http404
    distributions = list(resource.distributions.all())
    previewable = preview_selectors.may_preview_publicly(resource)
    counts = downloads.counts_of([resource.pk])
    for item in distributions:
        item.downloads = counts.of_distribution(item.pk)["total"]
    context = {
        "downloads": counts.of_resource(resource.pk),
        "dataset": resource,
        "fields": list(resource.fields.all()),
        "distributions": distributions,
        "downloadable": resource.is_openly_downloadable,
        "previewable": {
            item.pk
            for item in distributions
            if previewable and preview_selectors.preview_format(item)
        },
        "preview": preview_selectors.first_preview(resource) if previewable else None,
        "category_path": _category_path(resource.category),
        "dcat_suffixes": (("ttl", "Turtle"), ("xml", "RDF/XML"), ("jsonld", "JSON-LD")),
        "license_name": LICENSE_NAMES.get(resource.license_id, resource.license_id),
        "license_document": str(dcat.LICENSES.get(resource.license_id, "")),
    }
    return render(request, "catalog/portal/dataset.html", context)


@require_perm("view_published")
def distribution(request, pk: int, distribution: int):
    """A distribution's public page (CKAN's resource page): what it is, its download or
    address, and the preview of its first rows with the columns' types when the dataset is
    open unconditionally. A dataset that is not public is a 404, as is a distribution of
    another dataset."""
    resource = portal_selectors.public_dataset(pk)
    item = (
        next((d for d in resource.distributions.all() if d.pk == distribution), None)
        if resource
        else None
    )
    if item is None:
        raise Http404
    shown = preview_selectors.may_preview_publicly(resource)
    context = {
        "dataset": resource,
        "distribution": item,
        "downloadable": resource.is_openly_downloadable,
        "preview": preview_selectors.distribution_preview(item) if shown else None,
    }
    return render(request, "catalog/portal/distribution.html", context)


def _category_path(category) -> list:
    """The category's ancestors and itself, from its class (类) down."""
    path = [category]
    while path[0].parent_id is not None:
        path.insert(0, path[0].parent)
    return path
