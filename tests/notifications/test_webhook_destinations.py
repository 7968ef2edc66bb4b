"""Issue 9 point 2: webhooks cannot be used to reach or map hosts the platform should not talk
to. The destination policy is applied when a webhook is saved and at every delivery, the
connection goes to the address that was checked, and the owner reads classes of failure only.
"""

import socket

import pytest

from shuzheng import clock
from shuzheng.accounts.models import User
from shuzheng.audit.models import AuditEvent
from shuzheng.checks import check_webhook_allow_list
from shuzheng.notifications import destinations, services
from shuzheng.notifications.choices import Channel, DeliveryError, DeliveryStatus
from shuzheng.notifications.models import Delivery, WebhookEndpoint
from tests.smtp import refused_port

pytestmark = pytest.mark.django_db

PUBLIC = "93.184.215.14"
NOT_ALLOWED = "The address is not allowed: webhooks go to public addresses only."


@pytest.fixture
def nothing_allowed(settings):
    """The default deployment: no allow-list, only public addresses."""
    settings.NOTIFICATIONS_WEBHOOK_ALLOW = []


@pytest.fixture
def dns(monkeypatch):
    """A stand-in for DNS: ``dns.answers[name]`` is what ``name`` resolves to now; every
    lookup is counted in ``dns.lookups``."""

    class FakeDns:
        answers: dict[str, list[str]] = {}
        lookups: list[str] = []

        def resolve(self, host, port):
            self.lookups.append(host)
            if host not in self.answers:
                raise destinations.Unresolvable(f"{host} does not resolve")
            return self.answers[host]

    fake = FakeDns()
    fake.answers, fake.lookups = {}, []
    monkeypatch.setattr(destinations, "system_resolver", fake.resolve)
    return fake


def notify(user, key="event:1"):
    return services.notify(user, kind="policy_match", params={"title": "新文件"}, dedupe_key=key)


def webhook_only(user, url):
    services.set_email_enabled(user, False)
    return services.add_webhook(user, url)[0]


# -- at save -----------------------------------------------------------------------------------


def test_a_signed_in_citizen_cannot_register_a_webhook(django_user_model):
    """The reported attack started here: any citizen could register a webhook."""
    citizen = django_user_model.objects.create(username="citizen", role="citizen")
    with pytest.raises(services.NotificationError, match="cannot register webhooks"):
        services.add_webhook(citizen, "https://hooks.example.org/x")
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:5432/",
        "http://[::1]:6379/",
        "http://[::ffff:127.0.0.1]:8000/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.8:22/",
        "http://localhost:8000/",
    ],
)
def test_loopback_private_and_link_local_destinations_are_refused_and_audited(
    recipient, nothing_allowed, url
):
    with pytest.raises(services.NotificationError) as refused:
        services.add_webhook(recipient, url, actor=recipient, remote_addr="203.0.113.9")
    assert str(refused.value) == NOT_ALLOWED
    assert not WebhookEndpoint.objects.exists()
    event = AuditEvent.objects.get(action="notifications.webhook_refused")
    assert event.actor == recipient and event.after["url"] == url
    assert event.after["reason"]  # the detail is for the audit trail, not for the user


def test_a_name_resolving_to_a_private_address_is_refused_on_save(recipient, nothing_allowed, dns):
    dns.answers["hooks.example.org"] = [PUBLIC, "192.168.10.1"]
    with pytest.raises(services.NotificationError, match="not allowed"):
        services.add_webhook(recipient, "https://hooks.example.org/in")


def test_a_name_that_does_not_resolve_yet_is_saved_and_checked_at_delivery(recipient, dns):
    endpoint = webhook_only(recipient, "https://not-yet.example.org/in")
    notification = notify(recipient)
    assert services.deliver_due().failed == 1
    delivery = notification.deliveries.get()
    assert delivery.error_kind == DeliveryError.UNDELIVERED
    assert dns.lookups == ["not-yet.example.org", "not-yet.example.org"]
    assert endpoint.active


@pytest.mark.chinese_ui
def test_the_settings_page_refuses_a_loopback_url_with_a_chinese_message(
    client, recipient, nothing_allowed
):
    client.force_login(recipient)
    response = client.post(
        "/inbox/settings/webhooks/", {"url": "http://127.0.0.1:8000/", "description": "探测"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "地址不被允许" in html
    assert "loopback" not in html and "resolves to" not in html
    assert not WebhookEndpoint.objects.exists()


def test_the_api_refuses_a_loopback_url_with_422(client, recipient, nothing_allowed):
    client.force_login(recipient)
    response = client.post(
        "/api/v1/notifications/webhooks",
        {"url": "http://127.0.0.1:8000/"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"] == NOT_ALLOWED


def test_a_malformed_allow_list_entry_fails_the_system_check(settings):
    settings.NOTIFICATIONS_WEBHOOK_ALLOW = ["10.0.0.0/8", "10.0.0.0/33"]
    [error] = check_webhook_allow_list(None)
    assert error.id == "shuzheng.E004" and "10.0.0.0/33" in error.msg
    settings.NOTIFICATIONS_WEBHOOK_ALLOW = ["10.0.0.0/8", "oa.unit.example"]
    assert check_webhook_allow_list(None) == []


# -- at delivery -------------------------------------------------------------------------------


def test_delivery_is_refused_when_dns_changed_after_the_save(
    recipient, nothing_allowed, dns, webhook_receiver
):
    """DNS rebinding: the name was public when saved and points inside when delivered."""
    dns.answers["hooks.example.org"] = [PUBLIC]
    port = webhook_receiver.server.server_address[1]
    webhook_only(recipient, f"http://hooks.example.org:{port}/hook")
    dns.answers["hooks.example.org"] = ["127.0.0.1"]
    notification = notify(recipient)
    stats = services.deliver_due()
    assert (stats.dead, stats.sent) == (1, 0)
    delivery = notification.deliveries.get()
    assert delivery.error_kind == DeliveryError.REFUSED
    assert "127.0.0.1" in delivery.last_error  # the detail, for administrators
    assert delivery.public_error() == NOT_ALLOWED
    assert webhook_receiver.received == []
    assert AuditEvent.objects.filter(action="notifications.delivery_dead").exists()


def test_the_connection_goes_to_the_checked_address_without_a_second_lookup(
    recipient, dns, webhook_receiver, monkeypatch
):
    """The name is resolved once, by the policy; the socket connects to that address, and the
    receiver still sees the name in the Host header."""
    dns.answers["hooks.example.org"] = ["127.0.0.1"]
    port = webhook_receiver.server.server_address[1]
    webhook_only(recipient, f"http://hooks.example.org:{port}/hook?unit=7")
    dns.lookups.clear()
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        assert host != "hooks.example.org", "the name was resolved a second time"
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    notify(recipient)
    assert services.deliver_due().sent == 1
    assert dns.lookups == ["hooks.example.org"]
    [request] = webhook_receiver.received
    assert request.headers["host"] == f"hooks.example.org:{port}"
    assert request.path == "/hook?unit=7"


def test_an_allow_listed_internal_receiver_is_reached(recipient, settings, webhook_receiver):
    settings.NOTIFICATIONS_WEBHOOK_ALLOW = ["127.0.0.0/8"]
    webhook_only(recipient, webhook_receiver.url)
    notify(recipient)
    assert services.deliver_due().sent == 1


# -- what the owner reads ----------------------------------------------------------------------


def test_a_refused_port_and_a_listening_one_look_the_same_to_the_owner(recipient):
    """The port scan of the report: the test button told "connection refused" from a
    service's answer. Now every failure to connect reads the same."""
    with refused_port() as closed:
        endpoint = services.add_webhook(recipient, f"http://127.0.0.1:{closed}/")[0]
        error = services.send_test_webhook(endpoint)
    assert error == "The message could not be delivered."
    assert str(closed) not in error


def test_a_receiver_that_does_not_answer_is_a_timeout(recipient, settings):
    settings.NOTIFICATIONS_WEBHOOK_TIMEOUT = 0.3
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never answers
        port = silent.getsockname()[1]
        endpoint = webhook_only(recipient, f"http://127.0.0.1:{port}/")
        notification = notify(recipient)
        assert services.deliver_due().failed == 1
        assert services.send_test_webhook(endpoint) == "The receiver did not answer in time."
    delivery = notification.deliveries.get()
    assert delivery.error_kind == DeliveryError.TIMEOUT
    assert delivery.last_error.startswith("connection failed: timed out")


def test_an_error_status_is_shown_as_its_number_only(recipient, webhook_receiver):
    webhook_receiver.statuses = [503]
    webhook_only(recipient, webhook_receiver.url)
    notification = notify(recipient)
    services.deliver_due()
    delivery = notification.deliveries.get()
    assert (delivery.error_kind, delivery.error_status) == (DeliveryError.HTTP_STATUS, 503)
    assert delivery.public_error() == "The receiver answered with HTTP status 503."
    assert delivery.last_error == "HTTP 503 Service Unavailable"


def test_a_later_success_clears_the_error(recipient, webhook_receiver):
    webhook_receiver.statuses = [500, 200]
    webhook_only(recipient, webhook_receiver.url)
    notification = notify(recipient)
    services.deliver_due()
    Delivery.objects.update(next_attempt_at=notification.created_at)
    services.deliver_due()
    delivery = notification.deliveries.get()
    assert (delivery.status, delivery.error_kind, delivery.error_status) == ("sent", "", None)


# -- webhooks registered before they became an office's right ---------------------------------


def test_webhooks_of_citizens_from_before_receive_nothing(webhook_receiver):
    """Decision (docs/security.md): a citizen's endpoint from before stays listed so its owner
    can delete it, but no notification is pushed to it; inbox and email still work."""
    citizen = User.objects.create(username="old", role="citizen", email="old@example.org")
    WebhookEndpoint.objects.create(
        owner=citizen, url=webhook_receiver.url, sealed_secret="-", created_at=clock.now()
    )
    notification = notify(citizen)
    assert {d.channel for d in notification.deliveries.all()} == {Channel.EMAIL}


def test_a_queued_push_dies_when_its_owner_lost_the_right(recipient, webhook_receiver):
    webhook_only(recipient, webhook_receiver.url)
    notification = notify(recipient)
    User.objects.filter(pk=recipient.pk).update(role="citizen")
    assert services.deliver_due().dead == 1
    delivery = notification.deliveries.get()
    assert delivery.status == DeliveryStatus.DEAD
    assert delivery.error_kind == DeliveryError.NOT_PERMITTED
    assert webhook_receiver.received == []
