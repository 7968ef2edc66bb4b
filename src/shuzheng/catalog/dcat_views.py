"""The DCAT-AP 3.0 documents of the public catalog and the openly downloadable files.

Anyone may read them; a resource that is not public (core or important data, unpublished,
not open) is a 404 everywhere here, never a 403 that would confirm it exists.
"""

import mimetypes
import re
from pathlib import PurePosixPath
from urllib.parse import quote

from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET

from shuzheng.catalog import dcat, services, tracking
from shuzheng.catalog.choices import DistributionKind
from shuzheng.catalog.models import DataResource, Distribution


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
    response = file_response(request, item)
    if tracking.is_new_download(
        status=response.status_code, range_header=request.headers.get("Range")
    ):
        services.record_public_download(distribution=item)
    return response


#: Characters a downloaded file's name cannot hold (path separators, controls, and those
#: Windows refuses).
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def download_name(item: Distribution) -> str:
    """The name a download is saved under: the distribution's title with the stored file's
    extension (``宁夏A级旅游景区名录（CSV）.csv``), cleaned of characters a file name cannot
    hold; the stored name when the title leaves nothing."""
    stored = PurePosixPath(item.file.name).name
    suffix = PurePosixPath(stored).suffix.lower()
    title = _UNSAFE_NAME.sub(" ", item.title).strip(" .")[:120]
    if not title:
        return stored
    return title if title.lower().endswith(suffix) else f"{title}{suffix}"


def content_disposition(name: str, fallback: str) -> str:
    """``attachment`` with the name both ways (RFC 6266): ``filename*`` in UTF-8 as RFC 5987
    encodes it, for the Chinese name, and ``filename`` in ASCII for clients without it."""
    ascii_name = fallback.encode("ascii", "ignore").decode() or "download"
    ascii_name = ascii_name.replace("\\", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def file_response(request, item: Distribution) -> HttpResponse:
    """A distribution's file as a download: its media type (the one declared, else the one
    its extension names), its name in Chinese (``download_name``), its length, and its SM3
    checksum as the ETag (a client that has this file gets a 304). The caller has decided the
    visitor may have it."""
    name = download_name(item)
    etag = f'"sm3-{item.checksum}"' if item.checksum else ""
    if etag and etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    media_type = item.media_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    stored = PurePosixPath(item.file.name)
    fallback = f"{item.resource.name}-{item.pk}{stored.suffix.lower()}"
    response = FileResponse(item.file.open("rb"), content_type=media_type)
    response["Content-Disposition"] = content_disposition(name, fallback)
    response["X-Content-Type-Options"] = "nosniff"
    if etag:
        response["ETag"] = etag
    return response
