"""Reads of the portal's download counts (issue 11, point 5): per distribution and per
dataset, ``total`` and ``recent`` as CKAN's ``tracking_summary`` says them
(``catalog.tracking``). The counts are written by ``services.record_public_download``.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db.models import Q, Sum

from shuzheng import clock
from shuzheng.catalog import tracking
from shuzheng.catalog.models import DownloadCount

_NONE = json.dumps(tracking.summary(0, 0))


@dataclass
class Counts:
    """The counts of some datasets: (total, recent) by distribution id and by dataset id."""

    by_distribution: dict[int, tuple[int, int]] = field(default_factory=dict)
    by_resource: dict[int, tuple[int, int]] = field(default_factory=dict)

    def of_distribution(self, pk: int) -> dict[str, int]:
        return tracking.summary(*self.by_distribution.get(pk, (0, 0)))

    def of_resource(self, pk: int) -> dict[str, int]:
        return tracking.summary(*self.by_resource.get(pk, (0, 0)))

    def distribution_json(self, pk: int) -> str:
        found = self.by_distribution.get(pk)
        return _NONE if found is None else json.dumps(tracking.summary(*found))

    def resource_json(self, pk: int) -> str:
        found = self.by_resource.get(pk)
        return _NONE if found is None else json.dumps(tracking.summary(*found))


def counts_of(resource_ids: Collection[int]) -> Counts:
    """The download counts of the datasets ``resource_ids`` and their distributions, in one
    query."""
    counts = Counts()
    if not resource_ids:
        return counts
    since = tracking.recent_since(clock.today())
    rows = (
        DownloadCount.objects.filter(distribution__resource_id__in=list(resource_ids))
        .values_list("distribution_id", "distribution__resource_id")
        .annotate(total=Sum("count"), recent=Sum("count", filter=Q(day__gte=since)))
        .order_by()
    )
    for distribution_id, resource_id, total, recent in rows:
        counts.by_distribution[distribution_id] = (total, recent or 0)
        before = counts.by_resource.get(resource_id, (0, 0))
        counts.by_resource[resource_id] = (before[0] + total, before[1] + (recent or 0))
    return counts


def most_downloaded() -> list[int]:
    """Every dataset downloaded at least once, the most downloaded first (ties: the newer
    id first), for the portal's "most downloaded" order."""
    rows = (
        DownloadCount.objects.values("distribution__resource_id")
        .annotate(total=Sum("count"))
        .filter(total__gt=0)
        .order_by("-total", "-distribution__resource_id")
        .values_list("distribution__resource_id", flat=True)
    )
    return list(rows)
