"""The change feed's permission cases (exchange-feed, issue 16 point 4)."""

from shuzheng.exchange import feed_services
from shuzheng.exchange.choices import FeedChannel
from tests.exchange.feed_helpers import grant, make_table
from tests.permissions import UNIT_MEMBERS, Case, matrix_test


def feed_objects(world):
    """A table of ``other_unit`` with a grant and a pulled subscription for ``unit``."""
    table = make_table(world.other_unit, name="matrix-feed")
    grant(world.unit, table)
    subscription, _ = feed_services.subscribe(
        consumer=world.unit, table=table, channel=FeedChannel.PULL
    )
    return {"feed_table": table, "feed_subscription": subscription}


def feed_path(world):
    return f"/api/v1/exchange/feed/{world.objects['feed_subscription'].pk}"


# exchange-feed: the change feed (point 4).
FEED_MATRIX = [
    Case("api:exchange_feed_pull", path=feed_path, allowed=UNIT_MEMBERS),
    Case("api:exchange_feed_pull", path=feed_path, allowed=UNIT_MEMBERS, auth="token"),
]
test_feed_matrix = matrix_test(FEED_MATRIX, setup=feed_objects)
