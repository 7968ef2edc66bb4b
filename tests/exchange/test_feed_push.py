"""The change feed's webhook delivery (issue 16, point 4): a provider write reaches a webhook
consumer and a cursor consumer exactly once each; a webhook consumer that was down catches
up after its restart with nothing lost or duplicated; dead letters and redelivery."""

import datetime as dt
import json

import pytest

from shuzheng import clock
from shuzheng.audit.models import AuditEvent
from shuzheng.exchange import feed_services as services
from shuzheng.exchange.choices import FeedChannel, FeedDeliveryStatus, FeedError
from shuzheng.exchange.feed_models import FeedDelivery
from shuzheng.exchange.feed_tasks import deliver_exchange_feed
from shuzheng.notifications import signing
from tests.exchange.feed_helpers import Receiver, grant, make_table, make_units, row, write

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def local_receivers_allowed(settings):
    """The receivers listen on 127.0.0.1, which the destination policy refuses unless an
    administrator allow-lists it (as a deployment would for an internal consumer)."""
    settings.NOTIFICATIONS_WEBHOOK_ALLOW = ["127.0.0.1"]
    settings.EXCHANGE_FEED_WEBHOOK_TIMEOUT = 2


@pytest.fixture
def receiver():
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def setup():
    provider, consumer = make_units()
    table = make_table(provider)
    return consumer, table, grant(consumer, table)


def push_subscription(consumer, table, receiver):
    subscription, secret = services.subscribe(
        consumer=consumer, table=table, channel=FeedChannel.PUSH, webhook_url=receiver.url
    )
    return subscription, secret


def later(seconds):
    return clock.now() + dt.timedelta(seconds=seconds)


def test_a_write_reaches_a_webhook_and_a_cursor_consumer_exactly_once(setup, receiver):
    consumer, table, _g = setup
    pushed, secret = push_subscription(consumer, table, receiver)
    pulled, _ = services.subscribe(consumer=consumer, table=table, channel=FeedChannel.PULL)
    write(table, [row(1), row(2)])
    write(table, deletes=[1])

    stats = services.deliver_feed()
    assert (stats.queued, stats.sent, stats.changes) == (1, 1, 3)
    assert services.deliver_feed().worked is False  # nothing twice
    [(headers, body)] = receiver.received
    assert signing.signature_matches(
        secret, headers["x-shuzheng-timestamp"], body, headers["x-shuzheng-signature"]
    )
    payload = json.loads(body)
    assert [(c["op"], c["key"]) for c in payload["changes"]] == [
        ("upsert", "1"),
        ("upsert", "2"),
        ("delete", "1"),
    ]
    assert all("phone" not in c["values"] for c in payload["changes"])

    page = services.pull(pulled, None)
    assert [c["position"] for c in page.changes] == [c["position"] for c in payload["changes"]]
    assert services.pull(pulled, page.cursor).changes == []

    delivery = FeedDelivery.objects.get(subscription=pushed)
    assert delivery.status == FeedDeliveryStatus.SENT and delivery.max_delay_ms is not None
    pushed.refresh_from_db()
    assert pushed.acked_position == payload["last_position"]


def test_a_consumer_that_was_down_catches_up_with_nothing_lost_or_repeated(setup, receiver):
    consumer, table, _g = setup
    push_subscription(consumer, table, receiver)
    write(table, [row(1)])
    services.deliver_feed()
    receiver.stop()  # the consumer goes down

    write(table, [row(2)])
    stats = services.deliver_feed()
    assert (stats.claimed, stats.failed) == (1, 1)
    failed = FeedDelivery.objects.get(status=FeedDeliveryStatus.FAILED)
    assert failed.error_kind == FeedError.UNDELIVERED and failed.next_attempt_at > clock.now()
    write(table, [row(3)], deletes=[1])
    assert services.deliver_feed().claimed == 0  # waits for its retry, in order

    receiver.start()  # back up
    services.deliver_feed(later(services.RETRY_DELAYS[0] + 1))
    services.deliver_feed(later(services.RETRY_DELAYS[0] + 2))
    keys = [(c["op"], c["key"]) for c in receiver.changes()]
    assert keys == [("upsert", "1"), ("upsert", "2"), ("upsert", "3"), ("delete", "1")]
    positions = [c["position"] for c in receiver.changes()]
    assert positions == sorted(set(positions))


def test_a_batch_that_keeps_failing_becomes_a_dead_letter_and_can_be_redelivered(
    setup, receiver, settings
):
    settings.EXCHANGE_FEED_MAX_ATTEMPTS = 2
    consumer, table, _g = setup
    push_subscription(consumer, table, receiver)
    receiver.status = 500
    write(table, [row(1)])
    services.deliver_feed()
    stats = services.deliver_feed(later(services.RETRY_DELAYS[0] + 1))
    assert stats.dead == 1
    dead = FeedDelivery.objects.get()
    assert (dead.status, dead.error_kind, dead.error_status) == (
        FeedDeliveryStatus.DEAD,
        FeedError.HTTP_STATUS,
        500,
    )
    assert AuditEvent.objects.filter(action="exchange.feed_dead_letter").exists()

    # A dead letter frees the subscription: later changes are delivered behind it.
    receiver.status = 200
    write(table, [row(2)])
    services.deliver_feed(later(5))
    assert [c["key"] for c in receiver.changes()[-1:]] == ["2"]

    services.redeliver(dead, actor=None)
    assert AuditEvent.objects.filter(action="exchange.feed_redeliver").exists()
    services.deliver_feed(later(6))
    dead.refresh_from_db()
    assert dead.status == FeedDeliveryStatus.SENT
    assert receiver.changes()[-1]["key"] == "1"
    with pytest.raises(services.FeedInputError):
        services.redeliver(dead)


def test_the_grant_is_checked_at_delivery_time(setup, receiver):
    consumer, table, live = setup
    live.row_filters = [{"column": "region", "op": "in", "value": ["银川", "吴忠"]}]
    live.save()
    push_subscription(consumer, table, receiver)
    write(table, [row(1, region="银川"), row(2, region="中卫")])
    services.deliver_feed()
    assert [c["key"] for c in receiver.changes()] == ["1"]

    live.revoked_at = clock.now()
    live.save()
    write(table, [row(3)])
    stats = services.deliver_feed()
    assert stats.dead == 1 and len(receiver.received) == 1
    assert FeedDelivery.objects.get(status=FeedDeliveryStatus.DEAD).error_kind == (
        FeedError.GRANT_MISSING
    )


def test_a_write_wakes_the_worker_once_it_commits(
    setup, receiver, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    consumer, table, _g = setup
    push_subscription(consumer, table, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        write(table, [row(1)])
    with django_capture_on_commit_callbacks(execute=True):
        write(table, [row(2)])
    queued = DBTaskResult.objects.filter(task_path=deliver_exchange_feed.module_path)
    assert queued.count() == 1  # a waiting run sees both writes
    result = deliver_exchange_feed.call()
    assert result["sent"] == 1 and result["changes"] == 2
