"""The service API: idempotent notify, real SMTP and HTTP delivery, retries, exactly-once."""

import datetime as dt
import json
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from shuzheng import clock
from shuzheng.audit.models import AuditEvent
from shuzheng.notifications import services, signing
from shuzheng.notifications.choices import Channel, DeliveryStatus
from shuzheng.notifications.models import Delivery, Notification, WebhookEndpoint

pytestmark = pytest.mark.django_db

START = dt.datetime(2024, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def notify(user, key="subscription:12:section:345", **overrides):
    text = {
        "title": "关于加强数字政府建设的实施意见",
        "body": "自治区人民政府印发了新的实施意见，涉及数据共享。",
        "reason": "matches your saved search “数据共享”",
    }
    text |= {name: overrides.pop(name) for name in list(overrides) if name in text}
    fields = {
        "kind": "policy_match",
        "params": text,
        "link": "/documents/17/",
        "dedupe_key": key,
        **overrides,
    }
    return services.notify(user, **fields)


def webhook_only(user, url):
    services.set_email_enabled(user, False)
    endpoint, secret = services.add_webhook(user, url)
    return endpoint, secret


# -- notify ------------------------------------------------------------------------------------


def test_notify_is_idempotent_per_recipient_and_event(recipient, django_user_model):
    first = notify(recipient)
    assert first is not None
    assert notify(recipient) is None
    assert notify(recipient, title="a different title, same event") is None
    other = django_user_model.objects.create(username="other", email="other@example.gov.cn")
    assert notify(other) is not None
    assert Notification.objects.filter(recipient=recipient).count() == 1
    assert Delivery.objects.filter(notification=first).count() == 1


def test_notify_queues_one_delivery_per_enabled_channel(recipient):
    services.add_webhook(recipient, "https://a.example.gov.cn/hook")
    disabled, _ = services.add_webhook(recipient, "https://b.example.gov.cn/hook")
    services.set_webhook_active(disabled, False)
    with clock.frozen_at(START):
        notification = notify(recipient)
    deliveries = {(d.channel, d.target) for d in notification.deliveries.all()}
    assert deliveries == {
        (Channel.EMAIL, "reader@example.gov.cn"),
        (Channel.WEBHOOK, "https://a.example.gov.cn/hook"),
    }
    assert all(d.status == DeliveryStatus.PENDING for d in notification.deliveries.all())
    assert {d.next_attempt_at for d in notification.deliveries.all()} == {START}


def test_email_switched_off_or_missing_queues_no_email(recipient, django_user_model):
    services.set_email_enabled(recipient, False)
    assert not notify(recipient).deliveries.exists()
    no_address = django_user_model.objects.create(username="noaddress")
    assert not notify(no_address).deliveries.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kind", "Policy Match", "lowercase slug"),
        ("title", "  ", "needs a title"),
        ("dedupe_key", "", "dedupe_key"),
        ("link", "https://evil.example.com/", "path on this site"),
        ("link", "//evil.example.com/", "path on this site"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(recipient, field, value, message):
    with pytest.raises(services.NotificationError, match=message):
        notify(recipient, **{field: value})
    assert not Notification.objects.exists()


def test_unread_counts_and_marking_read(recipient, django_user_model):
    first, second, third = (notify(recipient, key=f"k{n}") for n in range(3))
    assert services.unread_count(recipient) == 3
    with clock.frozen_at(START):
        services.mark_read(second, user=recipient)
    assert second.read_at == START
    with clock.frozen_at(START + dt.timedelta(hours=1)):
        services.mark_read(second, user=recipient)
    second.refresh_from_db()
    assert second.read_at == START  # the first reading counts
    assert services.unread_count(recipient) == 2
    assert list(services.inbox_of(recipient, unread_only=True)) == [third, first]
    stranger = django_user_model.objects.create(username="stranger")
    with pytest.raises(services.NotificationError):
        services.mark_read(first, user=stranger)
    assert services.mark_all_read(recipient) == 2
    assert services.unread_count(recipient) == 0


# -- email over SMTP ---------------------------------------------------------------------------


def test_email_is_received_by_the_smtp_server(recipient, smtp_server, settings):
    settings.SITE_URL = "https://zwfw.nx.gov.cn"
    notification = notify(recipient)
    stats = services.deliver_due()
    assert (stats.claimed, stats.sent, stats.failed, stats.dead) == (1, 1, 0, 0)
    [mail] = smtp_server.received
    assert mail.recipients == ["reader@example.gov.cn"]
    assert mail.subject == "关于加强数字政府建设的实施意见"
    assert "自治区人民政府印发了新的实施意见" in mail.body
    assert "https://zwfw.nx.gov.cn/documents/17/" in mail.body
    assert "数据共享" in mail.body
    delivery = notification.deliveries.get()
    assert delivery.status == DeliveryStatus.SENT and delivery.sent_at is not None
    assert services.deliver_due().claimed == 0
    assert len(smtp_server.received) == 1


def test_smtp_server_down_is_retried(recipient, settings, closed_port_url):
    port = int(closed_port_url.split(":")[2].split("/")[0])
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }
    with clock.frozen_at(START):
        notification = notify(recipient)
        assert services.deliver_due().failed == 1
    delivery = notification.deliveries.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_error.startswith("SMTP:")
    assert delivery.next_attempt_at == START + dt.timedelta(minutes=1)


# -- webhooks over HTTP ------------------------------------------------------------------------


def test_webhook_is_posted_signed_with_headers(recipient, webhook_receiver):
    endpoint, secret = webhook_only(recipient, webhook_receiver.url)
    with clock.frozen_at(START):
        notification = notify(recipient)
        stats = services.deliver_due()
    assert stats.sent == 1
    [request] = webhook_receiver.received
    delivery = notification.deliveries.get()
    headers = request.headers
    assert request.path == "/hook"
    assert headers["x-shuzheng-event"] == "policy_match"
    assert headers["x-shuzheng-delivery"] == str(delivery.pk)
    assert headers["x-shuzheng-timestamp"] == str(int(START.timestamp()))
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert headers["x-shuzheng-signature"].startswith("hmac-sm3=")
    assert signing.signature_matches(
        secret, headers["x-shuzheng-timestamp"], request.body, headers["x-shuzheng-signature"]
    )
    assert not signing.signature_matches(
        "whsec_wrong",
        headers["x-shuzheng-timestamp"],
        request.body,
        headers["x-shuzheng-signature"],
    )
    payload = json.loads(request.body)
    assert payload["event"] == "policy_match"
    assert payload["delivery"] == delivery.pk
    assert payload["notification"]["title"] == "关于加强数字政府建设的实施意见"
    assert payload["notification"]["reason"] == "matches your saved search “数据共享”"
    assert payload["recipient"] == "reader"
    assert delivery.status == DeliveryStatus.SENT


def test_webhook_secret_is_stored_sealed(recipient):
    endpoint, secret = services.add_webhook(recipient, "https://a.example.gov.cn/hook")
    stored = WebhookEndpoint.objects.get(pk=endpoint.pk)
    assert secret not in stored.sealed_secret
    assert services.webhook_secret(stored) == secret
    event = AuditEvent.objects.get(action="notifications.add_webhook")
    assert secret not in json.dumps(event.after) and "sealed_secret" not in event.after


def test_webhook_500_is_retried_with_back_off_then_sent(recipient, webhook_receiver):
    webhook_receiver.statuses = [500, 500, 200]
    webhook_only(recipient, webhook_receiver.url)
    with clock.frozen_at(START):
        notification = notify(recipient)
        assert services.deliver_due().failed == 1
    delivery = notification.deliveries.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 1
    assert delivery.last_error == "HTTP 500 Internal Server Error"
    assert delivery.next_attempt_at == START + dt.timedelta(minutes=1)
    with clock.frozen_at(START + dt.timedelta(seconds=59)):
        assert services.deliver_due().claimed == 0  # not due yet
    with clock.frozen_at(START + dt.timedelta(minutes=1)):
        assert services.deliver_due().failed == 1
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == START + dt.timedelta(minutes=1 + 5)
    with clock.frozen_at(START + dt.timedelta(minutes=6)):
        assert services.deliver_due().sent == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 3, "")
    assert len(webhook_receiver.received) == 3


def test_closed_port_fails_and_becomes_dead_after_the_last_attempt(
    recipient, closed_port_url, settings
):
    settings.NOTIFICATIONS_RETRY_DELAYS = [60, 300]
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    webhook_only(recipient, closed_port_url)
    moment = START
    with clock.frozen_at(moment):
        notification = notify(recipient)
    delivery = notification.deliveries.get()
    for expected_wait in (60, 300):
        with clock.frozen_at(moment):
            assert services.deliver_due().failed == 1
        delivery.refresh_from_db()
        assert delivery.last_error.startswith("connection failed")
        assert delivery.next_attempt_at == moment + dt.timedelta(seconds=expected_wait)
        moment = delivery.next_attempt_at
    with clock.frozen_at(moment):
        assert services.deliver_due().dead == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DEAD, 3)
    assert delivery.next_attempt_at is None and delivery.last_error
    with clock.frozen_at(moment + dt.timedelta(days=30)):
        assert services.deliver_due().claimed == 0
    event = AuditEvent.objects.get(action="notifications.delivery_dead")
    assert event.object_id == str(delivery.pk) and event.after["status"] == "dead"
    assert list(services.deliveries_of(recipient, problems_only=True)) == [delivery]


def test_deliveries_to_a_disabled_or_deleted_endpoint_die_with_the_reason(
    recipient, webhook_receiver
):
    endpoint, _secret = webhook_only(recipient, webhook_receiver.url)
    first = notify(recipient, key="one")
    services.set_webhook_active(endpoint, False)
    assert services.deliver_due().dead == 1
    assert first.deliveries.get().last_error == "the webhook endpoint is disabled"
    services.set_webhook_active(endpoint, True)
    second = notify(recipient, key="two")
    services.delete_webhook(endpoint)
    assert services.deliver_due().dead == 1
    assert second.deliveries.get().last_error == "the webhook endpoint was deleted"
    assert webhook_receiver.received == []


def test_test_send_reports_success_and_failure(recipient, webhook_receiver, closed_port_url):
    endpoint, secret = services.add_webhook(recipient, webhook_receiver.url)
    assert services.send_test_webhook(endpoint) is None
    [request] = webhook_receiver.received
    assert request.headers["x-shuzheng-event"] == "webhook_test"
    assert signing.signature_matches(
        secret,
        request.headers["x-shuzheng-timestamp"],
        request.body,
        request.headers["x-shuzheng-signature"],
    )
    broken, _ = services.add_webhook(recipient, closed_port_url)
    # What the owner reads names a class of failure, not what listens where (issue 9).
    assert services.send_test_webhook(broken) == "The message could not be delivered."
    assert not Delivery.objects.exists()


def test_redirects_are_failures_not_followed(recipient, webhook_receiver):
    webhook_receiver.statuses = [302]
    webhook_only(recipient, webhook_receiver.url)
    notification = notify(recipient)
    assert services.deliver_due().failed == 1
    assert notification.deliveries.get().last_error.startswith("HTTP 302")
    assert len(webhook_receiver.received) == 1


# -- exactly once ------------------------------------------------------------------------------


def test_two_worker_passes_send_each_delivery_once(recipient, webhook_receiver):
    webhook_only(recipient, webhook_receiver.url)
    for n in range(5):
        notify(recipient, key=f"event:{n}")
    first = services.deliver_due(limit=3)
    second = services.deliver_due(limit=3)
    third = services.deliver_due(limit=3)
    assert (first.sent, second.sent, third.claimed) == (3, 2, 0)
    ids = [r.headers["x-shuzheng-delivery"] for r in webhook_receiver.received]
    assert sorted(ids) == sorted({*ids}) and len(ids) == 5


def test_a_claimed_delivery_is_not_claimed_by_another_worker(recipient, webhook_receiver):
    webhook_only(recipient, webhook_receiver.url)
    with clock.frozen_at(START):
        notify(recipient)
        [claimed] = services.claim_due(clock.now())
        assert services.claim_due(clock.now()) == []
        assert services.deliver_due().claimed == 0
    assert claimed.status == DeliveryStatus.SENDING
    assert webhook_receiver.received == []


def test_crash_between_claim_and_send_is_sent_once_after_the_lease(recipient, webhook_receiver):
    """A worker claims and dies before sending. Its lease runs out, the next worker (a
    restart: nothing but the database carries over) sends exactly once."""
    webhook_only(recipient, webhook_receiver.url)
    with clock.frozen_at(START):
        notification = notify(recipient)
        services.claim_due(clock.now())  # ... and the worker crashes here
    lease_end = START + services.DEFAULT_CLAIM_LEASE
    with clock.frozen_at(lease_end - dt.timedelta(seconds=1)):
        assert services.deliver_due().claimed == 0
    with clock.frozen_at(lease_end):
        assert services.deliver_due().sent == 1
    with clock.frozen_at(lease_end + dt.timedelta(days=1)):
        assert services.deliver_due().claimed == 0
    assert len(webhook_receiver.received) == 1
    delivery = notification.deliveries.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)


def test_a_stale_worker_cannot_overwrite_a_newer_claim(recipient, webhook_receiver):
    """The worker whose lease ran out finds its token replaced: its late "sent" is ignored,
    the current holder's result stands."""
    webhook_only(recipient, webhook_receiver.url)
    with clock.frozen_at(START):
        notify(recipient)
        [stale] = services.claim_due(clock.now())
    with clock.frozen_at(START + services.DEFAULT_CLAIM_LEASE):
        [current] = services.claim_due(clock.now())
    assert services._record_sent(stale) == 0
    assert services._record_sent(current) == 1
    assert services._record_sent(current) == 0  # sent is final


def test_sent_deliveries_are_never_sent_again(recipient, webhook_receiver):
    webhook_only(recipient, webhook_receiver.url)
    notification = notify(recipient)
    services.deliver_due()
    Delivery.objects.filter(notification=notification).update(next_attempt_at=START)
    with clock.frozen_at(START + dt.timedelta(days=365)):
        assert services.deliver_due().claimed == 0
    assert len(webhook_receiver.received) == 1


# -- channel settings are audited --------------------------------------------------------------


def test_channel_changes_are_audited(recipient):
    services.set_email_enabled(recipient, False, actor=recipient)
    endpoint, _ = services.add_webhook(recipient, "https://a.example.gov.cn/hook", actor=recipient)
    services.set_webhook_active(endpoint, False, actor=recipient)
    services.delete_webhook(endpoint, actor=recipient)
    actions = list(
        AuditEvent.objects.filter(action__startswith="notifications.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "notifications.set_email_enabled",
        "notifications.add_webhook",
        "notifications.disable_webhook",
        "notifications.delete_webhook",
    ]
    assert not services.email_enabled(recipient)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://a.example.gov.cn/", "not an http"),
        ("javascript:alert(1)", "not an http"),
        ("not a url", "not an http"),
    ],
)
def test_bad_webhook_urls_are_refused(recipient, url, message):
    with pytest.raises(services.NotificationError, match=message):
        services.add_webhook(recipient, url)
    assert not WebhookEndpoint.objects.exists()


def test_the_same_url_is_registered_once(recipient):
    services.add_webhook(recipient, "https://a.example.gov.cn/hook")
    with pytest.raises(services.NotificationError, match="already"):
        services.add_webhook(recipient, "https://a.example.gov.cn/hook")


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_never_send_the_same_delivery(recipient, webhook_receiver):
    """Four workers in four threads (own database connections) race over 40 deliveries.

    PostgreSQL only: SQLite's in-memory, shared-cache *test* database answers concurrent
    writers with "table is locked" at once, where the WAL file database of a deployment
    queues them (IMMEDIATE transactions); on SQLite the claim's conditional UPDATE is shown
    by test_a_claimed_delivery_is_not_claimed_by_another_worker.
    """
    if connection.vendor == "sqlite":
        pytest.skip("needs a database that lets threads write concurrently (PostgreSQL)")
    webhook_only(recipient, webhook_receiver.url)
    for n in range(40):
        notify(recipient, key=f"event:{n}")
    totals, errors = [], []

    def worker():
        try:
            while (stats := services.deliver_due(limit=5)).claimed:
                totals.append(stats.sent)
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    ids = [r.headers["x-shuzheng-delivery"] for r in webhook_receiver.received]
    assert len(ids) == 40 and len(set(ids)) == 40
    assert sum(totals) == 40
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 40
