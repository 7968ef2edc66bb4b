"""What the change feed's pages and API read (issue 16, points 4 and 7): a consumer unit's
subscriptions and the grants it may subscribe, a provider unit's subscribers, a
subscription's deliveries, the dead letters both sides see, and the delays the exchange
office watches — p50 and p99 of the recorded delays per subscriber and day.

The delay of a delivery is that of its oldest change (write → receipt, ``max_delay_ms``):
the figure a subscriber waited longest for in that batch.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, OuterRef

from shuzheng import clock
from shuzheng.catalog.grading import Grade
from shuzheng.exchange.choices import FeedDeliveryStatus, TableSource
from shuzheng.exchange.feed_models import FeedDelivery, FeedSubscription
from shuzheng.exchange.feed_rules import percentile
from shuzheng.exchange.models import Grant, PublishedTable

#: Deliveries shown on a subscription's page, and dead letters on a list, at most.
RECENT = 50
#: Days of delays the office's page shows.
DELAY_DAYS = 7


def _subscriptions():
    return FeedSubscription.objects.select_related("table__resource", "consumer")


def subscriptions_of(unit_id: int):
    """The consumer unit's subscriptions, the newest first."""
    return _subscriptions().filter(consumer_id=unit_id)


def subscribers_of(provider_id: int):
    """The subscriptions to the provider unit's published tables."""
    return _subscriptions().filter(table__resource__provider_id=provider_id)


def all_subscriptions():
    return _subscriptions()


def subscribable_grants_any():
    """Live grants of a resource published as a table (a proxied service has no change
    feed; core data never leaves), the newest first."""
    tables = PublishedTable.objects.filter(resource_id=OuterRef("resource_id")).exclude(
        source=TableSource.PROXY
    )
    return (
        Grant.objects.filter(revoked_at__isnull=True, expires_at__gt=clock.now())
        .exclude(resource__grade=Grade.CORE)
        .filter(Exists(tables))
        .select_related("resource", "consumer")
    )


def subscribable_grants(unit_id: int):
    """The unit's grants it may subscribe the change feed of."""
    return subscribable_grants_any().filter(consumer_id=unit_id)


def dead_counts(subscription_ids) -> dict[int, int]:
    """Dead letters per subscription, in one query."""
    return dict(
        FeedDelivery.objects.filter(
            subscription_id__in=list(subscription_ids), status=FeedDeliveryStatus.DEAD
        )
        .values_list("subscription_id")
        .annotate(count=Count("id"))
        .order_by()
    )


def deliveries_of(subscription: FeedSubscription):
    return subscription.deliveries.order_by("-id")[:RECENT]


def _dead():
    return FeedDelivery.objects.filter(status=FeedDeliveryStatus.DEAD).select_related(
        "subscription__table__resource", "subscription__consumer"
    )


def dead_letters(*, consumer_id=None, provider_id=None):
    """Dead letters, the newest first: of a consumer unit's subscriptions, of a provider
    unit's tables, or (neither given) all of them."""
    found = _dead()
    if consumer_id is not None:
        found = found.filter(subscription__consumer_id=consumer_id)
    if provider_id is not None:
        found = found.filter(subscription__table__resource__provider_id=provider_id)
    return found.order_by("-id")[:RECENT]


@dataclass(frozen=True)
class DelayRow:
    """One subscriber's delays on one day (milliseconds)."""

    subscription: FeedSubscription
    day: dt.date
    deliveries: int
    p50: float | None
    p99: float | None


def delays(days: int = DELAY_DAYS) -> list[DelayRow]:
    """p50 and p99 of the recorded delays per subscriber and day over the last ``days``
    days (the site's time zone), the newest day first; one query for the delays and one
    for the subscriptions."""
    zone = ZoneInfo(settings.TIME_ZONE)
    since = clock.now() - dt.timedelta(days=days)
    recorded = FeedDelivery.objects.filter(
        status=FeedDeliveryStatus.SENT, delivered_at__gte=since, max_delay_ms__isnull=False
    ).values_list("subscription_id", "delivered_at", "max_delay_ms")
    grouped: dict[tuple[int, dt.date], list[int]] = defaultdict(list)
    for subscription_id, delivered_at, delay in recorded.iterator(chunk_size=5000):
        grouped[(subscription_id, delivered_at.astimezone(zone).date())].append(delay)
    subscriptions = _subscriptions().in_bulk({key[0] for key in grouped})
    rows = [
        DelayRow(
            subscriptions[subscription_id],
            day,
            len(values),
            percentile(values, 0.5),
            percentile(values, 0.99),
        )
        for (subscription_id, day), values in grouped.items()
    ]
    return sorted(rows, key=lambda row: (-row.day.toordinal(), row.subscription.pk))
