"""The change feed's permission cases (exchange-feed, issue 16 point 4)."""

from django.urls import reverse

from shuzheng import clock
from shuzheng.exchange import feed_services
from shuzheng.exchange.choices import FeedChannel, FeedDeliveryStatus
from shuzheng.exchange.feed_models import FeedDelivery
from tests.exchange.feed_helpers import grant, make_table
from tests.permissions import SUPERVISORS, UNIT_MEMBERS, UNIT_READERS, Case, matrix_test


def feed_objects(world):
    """A table of ``other_unit`` with a grant and a pulled subscription for ``unit``, and a
    dead letter of it."""
    table = make_table(world.other_unit, name="matrix-feed")
    live = grant(world.unit, table)
    subscription, _ = feed_services.subscribe(
        consumer=world.unit, table=table, channel=FeedChannel.PULL
    )
    now = clock.now()
    dead = FeedDelivery.objects.create(
        subscription=subscription,
        channel=FeedChannel.PUSH,
        first_position=1,
        last_position=1,
        status=FeedDeliveryStatus.DEAD,
        oldest_written_at=now,
        newest_written_at=now,
        created_at=now,
    )
    return {
        "feed_table": table,
        "feed_subscription": subscription,
        "feed_grant": live,
        "feed_dead": dead,
    }


def feed_path(world):
    return f"/api/v1/exchange/feed/{world.objects['feed_subscription'].pk}"


def subscription_page(name):
    return lambda world: reverse(name, args=[world.objects["feed_subscription"].pk])


def redeliver_page(world):
    return reverse("exchange:feed_redeliver", args=[world.objects["feed_dead"].pk])


def redeliver_path(world):
    return f"/api/v1/exchange/feed/deliveries/{world.objects['feed_dead'].pk}/redeliver"


def subscribe_body(world):
    return {"grant": world.objects["feed_grant"].pk, "channel": "pull"}


# exchange-feed: the change feed (point 4).
FEED_MATRIX = [
    Case("api:exchange_feed_pull", path=feed_path, allowed=UNIT_MEMBERS),
    Case("api:exchange_feed_pull", path=feed_path, allowed=UNIT_MEMBERS, auth="token"),
    Case("api:exchange_feed_subscriptions", allowed=UNIT_MEMBERS),
    Case("api:exchange_feed_subscriptions", allowed=UNIT_MEMBERS, auth="token"),
    # A second subscription of the same table the same way is refused (422), not forbidden.
    Case("api:exchange_feed_subscribe", method="post", json=subscribe_body, allowed=UNIT_MEMBERS),
    Case("api:exchange_feed_redeliver", method="post", path=redeliver_path, allowed=UNIT_READERS),
    Case("exchange:feed", allowed=UNIT_MEMBERS),
    Case(
        "exchange:feed_subscribe",
        method="post",
        data=lambda world: {"grant": world.objects["feed_grant"].pk, "channel": "pull"},
        allowed=UNIT_MEMBERS,
    ),
    Case("exchange:feed_subscribers", allowed=UNIT_MEMBERS),
    Case(
        "exchange:feed_subscription",
        path=subscription_page("exchange:feed_subscription"),
        allowed=UNIT_READERS,
    ),
    Case(
        "exchange:feed_active",
        method="post",
        path=subscription_page("exchange:feed_active"),
        data={"active": "0"},
        allowed=UNIT_MEMBERS,
    ),
    Case("exchange:feed_redeliver", method="post", path=redeliver_page, allowed=UNIT_READERS),
    Case("exchange:office_feed", allowed=SUPERVISORS),
]
test_feed_matrix = matrix_test(FEED_MATRIX, setup=feed_objects)
