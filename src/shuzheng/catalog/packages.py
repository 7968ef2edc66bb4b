"""Each catalog entry's CKAN package dict, kept ready as JSON text (issue 11, point 6 and its
benchmark: ``package_search`` p95 under 30 ms at 100,000 datasets).

CKAN keeps every dataset's validated package dict (``validated_data_dict``) beside its
search index and answers ``package_search`` from it instead of building each package again;
this is the same idea. ``refresh`` writes an entry's package text (``StoredPackage``) in the
transaction of every catalog service that changes the entry, its information items or its
distributions (``catalog.services``: the one writer); the CKAN API reads a page's texts in
one query and splices them into its answer without decoding them.

What a package holds that is not the entry's own is left out of the stored text and spliced
in when read, so that no change elsewhere can leave a stored text stale:

* ``organization`` and ``groups`` (a unit's or a class's name may change without the entry
  changing), appended as the text's last keys;
* the site's address: a file's download ``url`` is stored as its path (``"/dataset/…"``)
  and the request's origin is put in front of it (a link's url is an absolute address and
  is stored as given);
* the download counts (``tracking_summary`` of the package and of each resource, CKAN's
  name; ``catalog.downloads``): each resource's is stored as a marker naming its
  distribution, the package's is appended.

A path or a marker can only be recognised at its key (``"url": "/`` and
``"tracking_summary": "`` followed by an escaped NUL): inside a string value JSON escapes
every quote, so the entry's own text can never look like one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace

from django.urls import reverse

from shuzheng.catalog import ckan, downloads
from shuzheng.catalog.choices import DistributionKind
from shuzheng.catalog.models import (
    DataField,
    DataResource,
    Distribution,
    ResourceCategory,
    StoredPackage,
)

#: Entries written at a time by ``refresh_all``.
CHUNK_SIZE = 1000

#: What a package dict shows of an information item and of a distribution
#: (``ckan.field_dict``, ``ckan.resource_dict``), read as plain values.
FIELD_COLUMNS = (
    "resource_id",
    "name",
    "column",
    "data_type",
    "length",
    "description",
    "grade",
    "share_type",
    "is_authoritative",
)
DISTRIBUTION_COLUMNS = (
    "id",
    "resource_id",
    "position",
    "title",
    "description",
    "kind",
    "url",
    "format",
    "media_type",
    "byte_size",
    "checksum",
    "created_at",
    "modified_at",
)

_URL_PATH = '"url": "/'
_TRACKING_KEY = '"tracking_summary": '
_MARKER = re.compile(r'"tracking_summary": "\\u0000(\d+)"')
#: What ``Splicer.texts`` reads of an entry: its text and what its organization shows.
_READ_COLUMNS = (
    "pk",
    "provider_id",
    "category_id",
    "stored_package__body",
    "provider__code",
    "provider__name",
    "provider__short_name",
    "provider__kind",
    "provider__updated_at",
    "provider__region__code",
)


def download_path(distribution) -> str:
    """Where the public downloads a distribution's file (``catalog_dcat:download``)."""
    return reverse("catalog_dcat:download", args=[distribution.resource_id, distribution.pk])


def _resource_dict(distribution) -> dict:
    url = download_path(distribution) if distribution.kind == DistributionKind.FILE else None
    data = ckan.resource_dict(
        distribution,
        package_id=str(distribution.resource_id),
        url=url if url is not None else distribution.url,
    )
    data["tracking_summary"] = f"\x00{distribution.pk}"
    return data


def build_texts(resource_ids: Iterable[int]) -> dict[int, str]:
    """The stored package text of each entry of ``resource_ids``, by id: the package dict
    without ``organization`` and ``groups``, download urls as paths. Three queries: the
    entries with their categories, their items, their distributions."""
    rows = list(DataResource.objects.filter(pk__in=list(resource_ids)).select_related("category"))
    if not rows:
        return {}
    ids = [row.pk for row in rows]
    fields: dict[int, list] = {pk: [] for pk in ids}
    for values in (
        DataField.objects.filter(resource_id__in=ids)
        .order_by("resource_id", "position", "id")
        .values(*FIELD_COLUMNS)
    ):
        fields[values["resource_id"]].append(SimpleNamespace(**values))
    distributions: dict[int, list] = {pk: [] for pk in ids}
    for values in (
        Distribution.objects.filter(resource_id__in=ids)
        .order_by("resource_id", "position", "id")
        .values(*DISTRIBUTION_COLUMNS)
    ):
        distributions[values["resource_id"]].append(SimpleNamespace(pk=values["id"], **values))
    texts = {}
    for row in rows:
        package = ckan.package_dict(
            row,
            organization={"id": str(row.provider_id)},
            group={},
            resources=[_resource_dict(item) for item in distributions[row.pk]],
            fields=[ckan.field_dict(item) for item in fields[row.pk]],
            is_public=row.is_public,
        )
        del package["organization"], package["groups"]
        texts[row.pk] = json.dumps(package, ensure_ascii=False)
    return texts


def _categories() -> dict[int, SimpleNamespace]:
    """The classification as plain values (what a package and a group show of a category)."""
    return {
        values["id"]: SimpleNamespace(pk=values["id"], **values)
        for values in ResourceCategory.objects.values(
            "id", "parent_id", "code", "slug", "name", "description"
        )
    }


def refresh(resource_ids: Iterable[int]) -> None:
    """Write the package texts of ``resource_ids`` again, in the caller's transaction (every
    catalog service that changes an entry, its items or its distributions calls it)."""
    ids = sorted(set(resource_ids))
    for first in range(0, len(ids), CHUNK_SIZE):
        chunk = ids[first : first + CHUNK_SIZE]
        texts = build_texts(chunk)
        StoredPackage.objects.filter(resource_id__in=chunk).delete()
        StoredPackage.objects.bulk_create(
            [StoredPackage(resource_id=pk, body=text) for pk, text in texts.items()]
        )


def refresh_all(*, chunk_size: int = CHUNK_SIZE, progress=None) -> int:
    """Write every entry's package text (``shuzheng catalog packages``: after a bulk load
    that bypassed the services, or an upgrade); returns how many were written."""
    ids = list(DataResource.objects.order_by("pk").values_list("pk", flat=True))
    for first in range(0, len(ids), chunk_size):
        refresh(ids[first : first + chunk_size])
        if progress is not None:
            progress(min(first + chunk_size, len(ids)), len(ids))
    return len(ids)


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RawJSON:
    """JSON text the CKAN API's envelope puts in its answer as it is (``ckan_api._json``)."""

    text: str

    def decoded(self):
        return json.loads(self.text)


class Splicer:
    """Package texts for one answer: the organizations, groups and download counts they
    need, read once per call, and the request's origin for the download urls."""

    def __init__(self, request):
        origin = request.build_absolute_uri("/")[:-1]
        self.url_prefix = '"url": ' + json.dumps(origin, ensure_ascii=False)[:-1] + "/"
        self.categories = _categories()
        self.organizations: dict[int, str] = {}
        self.groups: dict[int, str] = {}

    def group_json(self, category_id: int) -> str:
        category = self.categories[category_id]
        while category.parent_id is not None:
            category = self.categories[category.parent_id]
        if category.pk not in self.groups:
            self.groups[category.pk] = json.dumps(ckan.group_dict(category), ensure_ascii=False)
        return self.groups[category.pk]

    def organization_json(self, provider_id: int, columns: tuple) -> str:
        if provider_id not in self.organizations:
            code, name, short_name, kind, updated_at, region = columns
            unit = SimpleNamespace(
                pk=provider_id,
                code=code,
                name=name,
                short_name=short_name,
                kind=kind,
                updated_at=updated_at,
                region=SimpleNamespace(code=region),
            )
            self.organizations[provider_id] = json.dumps(
                ckan.organization_dict(unit), ensure_ascii=False
            )
        return self.organizations[provider_id]

    def texts(self, queryset) -> dict[int, str]:
        """The spliced package text of each entry of ``queryset``, by id in the queryset's
        order: one query for the stored texts with their units, one for the download counts
        (an entry whose text was never stored, loaded in bulk by hand, is built here, not
        stored)."""
        rows = list(queryset.values_list(*_READ_COLUMNS))
        if not rows:
            return {}
        missing = [row[0] for row in rows if row[3] is None]
        built = build_texts(missing) if missing else {}
        counts = downloads.counts_of([row[0] for row in rows])
        spliced = {}
        for pk, provider_id, category_id, body, *unit in rows:
            body = body if body is not None else built[pk]
            organization = self.organization_json(provider_id, tuple(unit))
            spliced[pk] = self._splice(body, organization, category_id, counts.resource_json(pk))
            if "\\u0000" in body:
                spliced[pk] = _MARKER.sub(
                    lambda match: _TRACKING_KEY + counts.distribution_json(int(match[1])),
                    spliced[pk],
                )
        return spliced

    def _splice(self, body: str, organization: str, category_id: int, tracking: str) -> str:
        body = body.replace(_URL_PATH, self.url_prefix)
        return (
            f'{body[:-1]}, "organization": {organization}, '
            f'"groups": [{self.group_json(category_id)}], {_TRACKING_KEY}{tracking}}}'
        )

    def package(self, resource_id: int) -> RawJSON:
        """One entry's package (``package_show`` and the answers of the writes)."""
        texts = self.texts(DataResource.objects.filter(pk=resource_id))
        return RawJSON(texts[resource_id])

    def packages(self, queryset, order: list[int] | None = None) -> RawJSON:
        """The packages of ``queryset`` as one JSON list: in ``order`` (ids; those not in
        the queryset left out) or in the queryset's own order."""
        texts = self.texts(queryset)
        if order is None:
            order = list(texts)
        return RawJSON("[" + ", ".join(texts[pk] for pk in order if pk in texts) + "]")
