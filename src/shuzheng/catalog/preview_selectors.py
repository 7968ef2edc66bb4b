"""Previews of distributions (issue 11, item 5: first rows and column types), read through
the pure ``catalog.preview`` and cached per distribution file.

Who may see a preview is decided here for every page: never for core data
(``grading.is_previewable``), on the public portal only for openly downloadable data
(``is_openly_downloadable``: the preview shows the same rows the download gives), and
inside the platform for whoever may see the resource's rows (``quality_services.may_see_rows``:
the provider's staff always, the catalog office for general data only).

The cache key names the distribution and its file (stored name and SM3 checksum), so a new
file is previewed afresh; an answer that depends on nothing but the file's bytes (a preview,
or why there is none) is kept for ``CACHE_SECONDS``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext as _

from shuzheng.catalog import grading, preview, quality_services
from shuzheng.catalog.choices import DataType
from shuzheng.catalog.models import DataResource, Distribution

#: How long a preview is kept in the cache (a week: it changes only with the file, which
#: changes the key).
CACHE_SECONDS = 7 * 24 * 3600
#: Bumped when the preview's shape or rules change, so old entries are not read back.
CACHE_VERSION = 1


@dataclass(frozen=True)
class DistributionPreview:
    """A distribution's preview, or ``problem``, the translated reason there is none."""

    distribution: Distribution
    table: preview.Preview | None
    problem: str = ""

    @property
    def columns(self) -> list[dict]:
        """Each shown column's name (or its position when it has none) and type label."""
        labels = dict(DataType.choices)
        return [
            {
                "name": column.name,
                "position": position,
                "type": labels.get(column.data_type, column.data_type),
            }
            for position, column in enumerate(self.table.columns if self.table else (), 1)
        ]


def preview_format(distribution: Distribution) -> str:
    """ "csv", "xlsx" or "json" when the distribution is a file the preview reads, else ""
    (the quality checks' own reading of formats, ``quality_services.data_format``)."""
    fmt = quality_services.data_format(distribution)
    return fmt if fmt in preview.FORMATS else ""


def may_preview_publicly(resource: DataResource) -> bool:
    """The portal shows previews of openly downloadable data only (never core data)."""
    return resource.is_openly_downloadable and grading.is_previewable(resource.grade)


def may_preview(user, resource: DataResource) -> bool:
    """May ``user`` see previews of ``resource``'s data inside the platform?"""
    return grading.is_previewable(resource.grade) and quality_services.may_see_rows(user, resource)


def _cache_key(distribution: Distribution) -> str:
    return (
        f"catalog:preview:{CACHE_VERSION}:{distribution.pk}:"
        f"{distribution.checksum or '-'}:{distribution.file.name}"
    )


def distribution_preview(distribution: Distribution) -> DistributionPreview | None:
    """The preview of a distribution (None when it is not a file of a format the preview
    reads). The caller has decided the visitor may see it (``may_preview…``); core data is
    refused here too, whoever asks."""
    if not grading.is_previewable(distribution.resource.grade):
        return None
    fmt = preview_format(distribution)
    if not fmt:
        return None
    key = _cache_key(distribution)
    cached = cache.get(key)
    if cached is None:
        try:
            with distribution.file.open("rb") as handle:
                cached = {"preview": preview.preview(handle, fmt).as_dict()}
        except preview.PreviewError as error:
            cached = {"problem": error.code}
        except OSError:
            # The stored file is missing or unreadable: say so, and try again next time.
            return DistributionPreview(
                distribution, None, _("The file cannot be read from the storage.")
            )
        cache.set(key, cached, CACHE_SECONDS)
    if "problem" in cached:
        return DistributionPreview(distribution, None, _(preview.MESSAGES[cached["problem"]]))
    return DistributionPreview(distribution, preview.Preview.from_dict(cached["preview"]))


def first_preview(resource: DataResource) -> DistributionPreview | None:
    """The preview of the resource's first distribution that has one (the dataset page's)."""
    for distribution in resource.distributions.all():
        if preview_format(distribution):
            return distribution_preview(distribution)
    return None
