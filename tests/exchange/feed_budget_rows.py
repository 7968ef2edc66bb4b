"""Rows of the change feed's subscription list for the query-budget test: each subscription
of the requesting unit to a table of another provider, with a dead letter, so that reading a
row's resource, consumer or dead letters per row (N+1) would show."""

import itertools

from shuzheng import clock
from shuzheng.exchange import feed_services
from shuzheng.exchange.choices import FeedChannel, FeedDeliveryStatus
from shuzheng.exchange.feed_models import FeedDelivery
from shuzheng.orgs.models import Unit
from tests.exchange.feed_helpers import grant, make_table

_NUMBERS = itertools.count(1)


def feed_subscriptions(world, n):
    now = clock.now()
    for _ in range(n):
        number = next(_NUMBERS)
        provider = Unit.objects.create(
            code=f"feed-budget-{number}", name=f"提供方 {number}", kind="department",
            region=world.region,
        )  # fmt: skip
        table = make_table(provider, name=f"feed-budget-{number}")
        grant(world.unit, table)
        subscription, _secret = feed_services.subscribe(
            consumer=world.unit, table=table, channel=FeedChannel.PULL
        )
        FeedDelivery.objects.create(
            subscription=subscription,
            channel=FeedChannel.PULL,
            first_position=1,
            last_position=1,
            status=FeedDeliveryStatus.DEAD,
            oldest_written_at=now,
            newest_written_at=now,
            created_at=now,
        )
