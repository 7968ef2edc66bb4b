"""The change feed's pages and API (issue 16, points 4 and 7): a consumer unit subscribes a
grant's table (a webhook's signing secret shown once), pauses and resumes it, sees its
deliveries and dead letters and redelivers one; the provider sees its subscribers and their
dead letters; the exchange office sees delays (p50, p99 per subscriber and day) and every
dead letter; the pull accepts the data API's szx_ token of a live grant."""

import datetime as dt

import pytest

from shuzheng import clock
from shuzheng.accounts.models import User
from shuzheng.audit.models import AuditEvent
from shuzheng.exchange import feed_services as services
from shuzheng.exchange import token_services
from shuzheng.exchange.choices import FeedChannel, FeedDeliveryStatus, FeedError
from shuzheng.exchange.feed_models import FeedDelivery, FeedSubscription
from tests.exchange.feed_helpers import grant, make_table, make_units, row, write

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def webhook_destinations(settings):
    settings.NOTIFICATIONS_WEBHOOK_ALLOW = ["127.0.0.1"]


def person(username, role, unit=None):
    return User.objects.create(username=username, role=role, unit=unit)


@pytest.fixture
def setup():
    provider, consumer = make_units()
    table = make_table(provider)
    live = grant(consumer, table)
    return {
        "provider": provider,
        "consumer": consumer,
        "table": table,
        "grant": live,
        "staff": person("feed-staff", "unit_staff", consumer),
        "provider_staff": person("feed-provider", "unit_staff", provider),
        "office": person("feed-office", "supervisor"),
    }


def dead_letter(subscription, kind=FeedError.TIMEOUT):
    now = clock.now()
    return FeedDelivery.objects.create(
        subscription=subscription,
        channel=FeedChannel.PUSH,
        first_position=1,
        last_position=3,
        status=FeedDeliveryStatus.DEAD,
        attempts=12,
        error_kind=kind,
        last_error="connection failed: 10.0.0.9 refused",
        oldest_written_at=now,
        newest_written_at=now,
        created_at=now,
    )


def test_a_consumer_subscribes_a_webhook_and_sees_its_secret_once(setup, client):
    client.force_login(setup["staff"])
    page = client.get("/exchange/feed/")
    assert page.status_code == 200 and setup["table"].resource.title in page.content.decode()
    answer = client.post(
        "/exchange/feed/subscribe/",
        {
            "grant": setup["grant"].pk,
            "channel": "push",
            "webhook_url": "http://127.0.0.1:9/hook",
        },
    )
    assert answer.status_code == 200
    subscription = FeedSubscription.objects.get()
    secret = services.webhook_secret(subscription)
    assert secret in answer.content.decode()
    assert secret not in client.get("/exchange/feed/").content.decode()
    assert secret not in client.get(f"/exchange/feed/{subscription.pk}/").content.decode()
    event = AuditEvent.objects.get(action="exchange.feed_subscribe")
    assert "sealed_secret" not in str(event.after)


def test_a_bad_webhook_address_is_a_clear_error_and_nothing_is_written(setup, client):
    client.force_login(setup["staff"])
    answer = client.post(
        "/exchange/feed/subscribe/",
        {"grant": setup["grant"].pk, "channel": "push", "webhook_url": "ftp://x"},
    )
    assert answer.status_code == 200
    assert "http://" in answer.content.decode()
    assert not FeedSubscription.objects.exists()
    another = make_table(setup["provider"], name="feed-ungranted")
    answer = client.post("/exchange/feed/subscribe/", {"grant": 999999, "channel": "pull"})
    assert answer.status_code == 200 and not FeedSubscription.objects.exists()
    assert another.resource.title not in answer.content.decode()


def test_pause_and_resume_are_audited(setup, client):
    subscription, _ = services.subscribe(
        consumer=setup["consumer"], table=setup["table"], channel=FeedChannel.PULL
    )
    client.force_login(setup["staff"])
    client.post(f"/exchange/feed/{subscription.pk}/active/", {"active": "0"})
    subscription.refresh_from_db()
    assert not subscription.active
    client.post(f"/exchange/feed/{subscription.pk}/active/", {"active": "1"})
    subscription.refresh_from_db()
    assert subscription.active
    actions = list(
        AuditEvent.objects.filter(action__startswith="exchange.feed_").values_list(
            "action", flat=True
        )
    )
    assert "exchange.feed_pause" in actions and "exchange.feed_resume" in actions
    other_staff = person("other", "unit_staff", setup["provider"])
    client.force_login(other_staff)
    refused = client.post(f"/exchange/feed/{subscription.pk}/active/", {"active": "0"})
    assert refused.status_code == 403


def test_both_sides_and_the_office_see_a_dead_letter_and_redelivery_queues_it(setup, client):
    subscription, _ = services.subscribe(
        consumer=setup["consumer"],
        table=setup["table"],
        channel=FeedChannel.PUSH,
        webhook_url="http://127.0.0.1:9/hook",
    )
    dead = dead_letter(subscription)
    label = str(FeedError.TIMEOUT.label)
    for user, url in (
        (setup["staff"], "/exchange/feed/"),
        (setup["provider_staff"], "/exchange/feed/subscribers/"),
        (setup["office"], "/exchange/office/feed/"),
        (setup["provider_staff"], f"/exchange/feed/{subscription.pk}/"),
    ):
        client.force_login(user)
        body = client.get(url).content.decode()
        assert f"#{dead.pk}" in body and label in body, url
        assert "10.0.0.9" not in body  # the receiver's answer stays with administrators
    client.force_login(setup["provider_staff"])
    assert client.post(f"/exchange/feed/deliveries/{dead.pk}/redeliver/").status_code == 403
    client.force_login(setup["staff"])
    answer = client.post(f"/exchange/feed/deliveries/{dead.pk}/redeliver/")
    assert answer.status_code == 302
    dead.refresh_from_db()
    assert dead.status == FeedDeliveryStatus.PENDING and dead.attempts == 0
    assert AuditEvent.objects.filter(action="exchange.feed_redeliver").count() == 1
    again = client.post(f"/exchange/feed/deliveries/{dead.pk}/redeliver/", follow=True)
    assert again.status_code == 200
    assert AuditEvent.objects.filter(action="exchange.feed_redeliver").count() == 1


def test_the_office_sees_p50_and_p99_per_subscriber_and_day(setup, client):
    subscription, _ = services.subscribe(
        consumer=setup["consumer"], table=setup["table"], channel=FeedChannel.PULL
    )
    now = clock.now()
    for delay in [*range(100, 200), 5000]:
        FeedDelivery.objects.create(
            subscription=subscription,
            channel=FeedChannel.PULL,
            first_position=1,
            last_position=1,
            status=FeedDeliveryStatus.SENT,
            oldest_written_at=now,
            newest_written_at=now,
            created_at=now,
            delivered_at=now,
            max_delay_ms=delay,
            min_delay_ms=delay,
        )
    client.force_login(setup["office"])
    body = client.get("/exchange/office/feed/").content.decode()
    assert 'data-figure="p50">150<' in body and 'data-figure="p99">199<' in body
    client.force_login(setup["staff"])
    assert client.get("/exchange/office/feed/").status_code == 403


def test_the_api_lists_subscribes_and_redelivers(setup, client):
    client.force_login(setup["staff"])
    answer = client.post(
        "/api/v1/exchange/feed/subscriptions",
        {"grant": setup["grant"].pk, "channel": "push", "webhook_url": "http://127.0.0.1:9/h"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    subscription = FeedSubscription.objects.get(pk=body["subscription"]["id"])
    assert body["secret"] == services.webhook_secret(subscription)
    dead = dead_letter(subscription)
    listed = client.get("/api/v1/exchange/feed/subscriptions").json()
    assert [(item["id"], item["dead_letters"]) for item in listed] == [(subscription.pk, 1)]
    assert "secret" not in str(listed)
    bad = client.post(
        "/api/v1/exchange/feed/subscriptions",
        {"grant": setup["grant"].pk, "channel": "push", "webhook_url": "nonsense"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    answer = client.post(f"/api/v1/exchange/feed/deliveries/{dead.pk}/redeliver")
    assert answer.status_code == 200 and answer.json()["status"] == "pending"
    assert client.post(f"/api/v1/exchange/feed/deliveries/{dead.pk}/redeliver").status_code == 409


def test_the_pull_accepts_the_data_api_token_of_a_live_grant(setup, client):
    subscription, _ = services.subscribe(
        consumer=setup["consumer"], table=setup["table"], channel=FeedChannel.PULL
    )
    write(setup["table"], [row(1)])
    _token, secret = token_services.create_access_token(
        setup["consumer"], name="订阅系统", resources=[setup["table"].resource]
    )

    def pull(secret):
        return client.get(
            f"/api/v1/exchange/feed/{subscription.pk}",
            headers={"Authorization": f"Bearer {secret}"},
        )

    answer = pull(secret)
    assert answer.status_code == 200 and [c["key"] for c in answer.json()["changes"]] == ["1"]
    other_table = make_table(setup["provider"], name="feed-token-other")
    grant(setup["consumer"], other_table)
    _t, elsewhere = token_services.create_access_token(
        setup["consumer"], name="别的系统", resources=[other_table.resource]
    )
    refused = pull(elsewhere)
    assert refused.status_code == 403 and refused.json()["type"] == "grant-missing"
    assert pull("szx_00000000_forged").json()["type"] == "token-invalid"
    setup["grant"].revoked_at = clock.now()
    setup["grant"].save()
    revoked = pull(secret)
    assert revoked.status_code == 403 and revoked.json()["type"] == "grant-missing"
    setup["grant"].revoked_at = None
    setup["grant"].expires_at = clock.now() - dt.timedelta(days=1)
    setup["grant"].save()
    assert pull(secret).status_code == 403
