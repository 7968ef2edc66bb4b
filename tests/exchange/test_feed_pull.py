"""The change feed's outbox and pull API (issue 16, point 4): a change is in the feed exactly
when it is in the table, and a cursor consumer receives every change exactly once, as its
grant shows it, also after being down."""

import pytest
from django.db import transaction

from shuzheng import clock
from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.exchange import feed_services as services
from shuzheng.exchange import hooks
from shuzheng.exchange.choices import FeedChannel, FeedDeliveryStatus
from shuzheng.exchange.feed_models import FeedChange, FeedDelivery
from shuzheng.exchange.hooks import RowChange
from tests.exchange.feed_helpers import grant, make_table, make_units, row, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    provider, consumer = make_units()
    table = make_table(provider)
    live = grant(consumer, table)
    staff = User.objects.create(username="feed-staff", role=Role.UNIT_STAFF, unit=consumer)
    return provider, consumer, table, live, staff


def subscribe(consumer, table):
    subscription, secret = services.subscribe(
        consumer=consumer, table=table, channel=FeedChannel.PULL
    )
    assert secret is None
    return subscription


def fetch(client, subscription, cursor="", limit=500):
    query = f"?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
    return client.get(f"/api/v1/exchange/feed/{subscription.pk}{query}")


def test_a_change_is_in_the_feed_exactly_when_it_is_in_the_table(setup):
    _p, _c, table, _g, _s = setup
    write(table, [row(1), row(2)])
    assert list(FeedChange.objects.values_list("op", "key")) == [("upsert", "1"), ("upsert", "2")]
    with pytest.raises(RuntimeError), transaction.atomic():
        hooks.rows_changed(table, [RowChange("upsert", "3", row(3))])
        raise RuntimeError("the writer fails after telling the feed")
    assert FeedChange.objects.count() == 2


def test_a_delete_keeps_the_rows_last_values_for_the_grants_filters(setup):
    _p, _c, table, _g, _s = setup
    write(table, [row(1, region="吴忠")])
    write(table, deletes=[1])
    deleted = FeedChange.objects.get(op="delete")
    assert deleted.values == {}
    assert deleted.previous["region"] == "吴忠"


def test_the_cursor_gives_every_change_once_and_the_same_page_again(setup, client):
    _p, consumer, table, _g, staff = setup
    write(table, [row(0)])  # before the subscription: not in its feed
    subscription = subscribe(consumer, table)
    write(table, [row(1), row(2), row(3)])
    client.force_login(staff)

    first = fetch(client, subscription, limit=2).json()
    assert [c["key"] for c in first["changes"]] == ["1", "2"]
    assert first["more"] is True
    again = fetch(client, subscription, limit=2).json()
    assert again == first
    second = fetch(client, subscription, first["cursor"], limit=2).json()
    assert [c["key"] for c in second["changes"]] == ["3"]
    assert second["more"] is False
    empty = fetch(client, subscription, second["cursor"]).json()
    assert empty["changes"] == [] and empty["cursor"] == second["cursor"]

    # The consumer is down while the provider writes; it resumes from its stored cursor.
    write(table, [row(4)], deletes=[2])
    write(table, [row(5)])
    resumed = fetch(client, subscription, second["cursor"]).json()
    assert [(c["op"], c["key"]) for c in resumed["changes"]] == [
        ("upsert", "4"),
        ("delete", "2"),
        ("upsert", "5"),
    ]
    positions = [c["position"] for c in first["changes"] + second["changes"] + resumed["changes"]]
    assert positions == sorted(set(positions))


def test_fetched_pages_are_counted_once_with_their_delay(setup, client):
    _p, consumer, table, _g, staff = setup
    subscription = subscribe(consumer, table)
    write(table, [row(1), row(2)])
    client.force_login(staff)
    page = fetch(client, subscription).json()
    fetch(client, subscription)
    fetch(client, subscription, page["cursor"])
    receipt = FeedDelivery.objects.get()
    assert (receipt.channel, receipt.status, receipt.changes) == (
        FeedChannel.PULL,
        FeedDeliveryStatus.SENT,
        2,
    )
    assert receipt.max_delay_ms is not None and receipt.max_delay_ms >= receipt.min_delay_ms
    subscription.refresh_from_db()
    assert subscription.acked_position == page["changes"][-1]["position"]


def test_the_grant_decides_columns_and_rows_at_fetch_time(setup, client):
    _p, consumer, table, live, staff = setup
    live.row_filters = [{"column": "region", "op": "eq", "value": "银川"}]
    live.save()
    subscription = subscribe(consumer, table)
    write(table, [row(1, region="银川"), row(2, region="固原")])
    client.force_login(staff)
    body = fetch(client, subscription).json()
    assert [c["key"] for c in body["changes"]] == ["1"]
    assert "phone" not in body["changes"][0]["values"]
    assert "0951" not in str(body)

    live.revoked_at = clock.now()
    live.save()
    refused = fetch(client, subscription)
    assert refused.status_code == 403
    assert refused["Content-Type"].startswith("application/problem+json")
    assert refused.json()["type"] == "grant-missing"


@pytest.mark.parametrize(
    "cursor", ["garbage", "Yz", "a" * 300, "YzEuMS4x"], ids=["text", "short", "long", "unsigned"]
)
def test_a_malformed_cursor_is_a_clear_400(setup, client, cursor):
    _p, consumer, table, _g, staff = setup
    subscription = subscribe(consumer, table)
    client.force_login(staff)
    response = fetch(client, subscription, cursor)
    assert response.status_code in (400, 422)
    if response.status_code == 400:
        assert response.json()["type"] == "malformed-cursor"


def test_another_subscriptions_cursor_is_refused(setup, client):
    provider, consumer, table, _g, staff = setup
    mine = subscribe(consumer, table)
    other_table = make_table(provider, name="feed-other")
    grant(consumer, other_table)
    theirs = subscribe(consumer, other_table)
    client.force_login(staff)
    foreign = services.cursor_for(theirs, 0)
    response = fetch(client, mine, foreign)
    assert response.status_code == 400
    assert response.json()["type"] == "malformed-cursor"


def test_only_the_consumer_units_staff_read_its_feed(setup, client):
    provider, consumer, table, _g, _staff = setup
    subscription = subscribe(consumer, table)
    outsider = User.objects.create(username="feed-out", role=Role.UNIT_STAFF, unit=provider)
    client.force_login(outsider)
    assert fetch(client, subscription).status_code == 403


def test_subscribing_needs_a_grant_and_refuses_core_data(setup):
    provider, consumer, _table, _g, _s = setup
    ungranted = make_table(provider, name="feed-ungranted")
    with pytest.raises(services.FeedInputError):
        services.subscribe(consumer=consumer, table=ungranted, channel=FeedChannel.PULL)
    core = make_table(provider, name="feed-core", grade="core")
    grant(consumer, core)
    with pytest.raises(services.FeedInputError):
        services.subscribe(consumer=consumer, table=core, channel=FeedChannel.PULL)
    keyless = make_table(provider, name="feed-keyless")
    grant(consumer, keyless, columns=("name",))
    with pytest.raises(services.FeedInputError):
        services.subscribe(consumer=consumer, table=keyless, channel=FeedChannel.PULL)


def test_a_webhook_to_an_internal_address_is_refused(setup):
    _p, consumer, table, _g, _s = setup
    with pytest.raises(services.FeedInputError):
        services.subscribe(
            consumer=consumer,
            table=table,
            channel=FeedChannel.PUSH,
            webhook_url="http://127.0.0.1:9/hook",
        )
