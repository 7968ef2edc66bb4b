"""Pruning the change feed's outbox (issue 16, point 4): changes older than the retention that
every subscriber of their table received are removed by the hourly job; a change a subscriber
has not received — not yet fetched, waiting to be pushed, retried or a dead letter — stays."""

import datetime as dt

import pytest

from shuzheng import clock
from shuzheng.exchange import feed_services as services
from shuzheng.exchange.choices import FeedChannel, FeedDeliveryStatus
from shuzheng.exchange.feed_models import FeedChange, FeedDelivery
from shuzheng.exchange.feed_tasks import prune_exchange_feed
from tests.exchange.feed_helpers import grant, make_table, make_units, row, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    provider, consumer = make_units()
    table = make_table(provider)
    grant(consumer, table)
    return consumer, table


def age(days):
    """Make every change so far ``days`` old."""
    FeedChange.objects.update(written_at=clock.now() - dt.timedelta(days=days))


def positions(table):
    return list(FeedChange.objects.filter(table=table).order_by("id").values_list("id", flat=True))


def prune():
    return prune_exchange_feed.call()["pruned"]


def test_only_changes_every_subscriber_received_and_older_than_the_retention_go(setup, settings):
    settings.EXCHANGE_FEED_RETENTION_DAYS = 7
    consumer, table = setup
    fast, _ = services.subscribe(consumer=consumer, table=table, channel=FeedChannel.PULL)
    write(table, [row(1), row(2), row(3)])
    first, second, third = positions(table)
    services.pull(fast, None, limit=2)  # the first two received
    age(8)
    write(table, [row(4)])  # new: kept whatever was received
    assert prune() == 2
    assert positions(table) == [third, third + 1]
    page = services.pull(fast, services.cursor_for(fast, second))
    assert [change["position"] for change in page.changes] == [third, third + 1]
    assert first < second


def test_a_slow_subscriber_holds_what_it_has_not_fetched(setup, settings):
    settings.EXCHANGE_FEED_RETENTION_DAYS = 1
    consumer, table = setup
    fast, _ = services.subscribe(consumer=consumer, table=table, channel=FeedChannel.PULL)
    write(table, [row(1), row(2)])
    slow_unit = make_units("slow")[1]
    grant(slow_unit, table)
    slow, _ = services.subscribe(consumer=slow_unit, table=table, channel=FeedChannel.PULL)
    write(table, [row(3)])
    services.pull(fast, None)
    age(2)
    # ``slow`` began after the first two changes: they go; the third it has not fetched stays.
    assert prune() == 2
    assert [c["key"] for c in services.pull(slow, None).changes] == ["3"]
    age(2)
    assert prune() == 1 and positions(table) == []


def test_a_dead_letter_keeps_its_changes_for_redelivery(setup, settings):
    settings.EXCHANGE_FEED_RETENTION_DAYS = 1
    consumer, table = setup
    pushed, _ = services.subscribe(
        consumer=consumer,
        table=table,
        channel=FeedChannel.PUSH,
        webhook_url="https://example.org/h",
    )
    write(table, [row(1)])
    dead_position = positions(table)[0]
    now = clock.now()
    FeedDelivery.objects.create(
        subscription=pushed,
        channel=FeedChannel.PUSH,
        first_position=dead_position,
        last_position=dead_position,
        status=FeedDeliveryStatus.DEAD,
        oldest_written_at=now,
        newest_written_at=now,
        created_at=now,
    )
    write(table, [row(2)])
    # A later batch was delivered: the subscriber's received position passed the dead letter.
    pushed.acked_position = positions(table)[-1]
    pushed.save()
    age(2)
    assert prune() == 0 and positions(table)[0] == dead_position


def test_a_table_without_subscribers_keeps_nothing_old_and_zero_days_keeps_all(setup, settings):
    _consumer, table = setup
    write(table, [row(1)])
    age(30)
    settings.EXCHANGE_FEED_RETENTION_DAYS = 0
    assert prune() == 0 and len(positions(table)) == 1
    settings.EXCHANGE_FEED_RETENTION_DAYS = 7
    assert prune() == 1 and positions(table) == []
