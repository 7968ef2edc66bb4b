"""The DCAT-AP 3.0 documents of the public catalog and the openly downloadable files.

Anyone may read them; a resource that is not public (core or important data, unpublished,
not open) is a 404 everywhere here, never a 403 that would confirm it exists.
"""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET

from shuzheng.catalog import dcat
from shuzheng.catalog.choices import DistributionKind
from shuzheng.catalog.models import DataResource


def _document(graph, suffix: str) -> HttpResponse:
    media_type = dcat.FORMATS[suffix][1]
    return HttpResponse(dcat.serialize(graph, suffix), content_type=f"{media_type}; charset=utf-8")


def _public(pk: int) -> DataResource:
    return get_object_or_404(dcat.public_resources(), pk=pk)


def _see_other(request, name: str, **kwargs) -> HttpResponse:
    """An IRI's answer: 303 to its document in the format the client asks for (Turtle when
    it names none of them)."""
    accept = request.headers.get("Accept", "")
    suffix = next(
        (suffix for suffix, (_, media_type) in dcat.FORMATS.items() if media_type in accept),
        "ttl",
    )
    response = redirect(name, suffix=suffix, **kwargs)
    response.status_code = 303
    return response


@require_GET
def catalog(request, suffix: str | None = None):
    if suffix is None:
        return _see_other(request, "catalog_dcat:catalog_document")
    return _document(dcat.catalog_graph(request), suffix)


@require_GET
def dataset(request, pk: int, suffix: str | None = None):
    resource = _public(pk)
    if suffix is None:
        return _see_other(request, "catalog_dcat:dataset_document", pk=pk)
    return _document(dcat.dataset_graph(request, resource), suffix)


@require_GET
def download(request, pk: int, distribution: int):
    resource = _public(pk)
    if not resource.is_openly_downloadable:
        raise Http404
    item = get_object_or_404(
        resource.distributions.filter(kind=DistributionKind.FILE), pk=distribution
    )
    if not item.file:
        raise Http404
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.file.name.rsplit("/", 1)[-1],
        content_type=item.media_type or "application/octet-stream",
    )
