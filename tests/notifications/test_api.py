"""/api/v1/notifications/…: own inbox, webhooks and deliveries; nobody else's."""

import pytest

from shuzheng.accounts.services import create_token
from shuzheng.notifications import services
from shuzheng.notifications.models import WebhookEndpoint

pytestmark = pytest.mark.django_db

API = "/api/v1/notifications"


@pytest.fixture
def bearer(recipient):
    _token, secret = create_token(recipient, "test", ["read", "write"])
    return {"Authorization": f"Bearer {secret}"}


def make(user, n):
    return services.notify(
        user,
        kind="policy_match",
        params={"title": f"政策 {n}", "reason": "you follow 自治区财政厅"},
        dedupe_key=f"follow:unit:3:document:{n}",
    )


def test_list_is_own_newest_first_paginated_and_filters_unread(
    client, recipient, bearer, django_user_model
):
    items = [make(recipient, n) for n in range(3)]
    make(django_user_model.objects.create(username="other"), 9)
    services.mark_read(items[0], user=recipient)
    body = client.get(f"{API}/", headers=bearer).json()
    assert body["count"] == 3
    assert [i["title"] for i in body["items"]] == ["政策 2", "政策 1", "政策 0"]
    assert body["items"][0]["reason"] == "you follow 自治区财政厅"
    unread = client.get(f"{API}/?unread=true", headers=bearer).json()
    assert [i["title"] for i in unread["items"]] == ["政策 2", "政策 1"]


def test_mark_read_and_read_all(client, recipient, bearer, django_user_model):
    first, _second = make(recipient, 1), make(recipient, 2)
    response = client.post(f"{API}/{first.pk}/read", headers=bearer)
    assert response.status_code == 200 and response.json()["read_at"]
    foreign = make(django_user_model.objects.create(username="other"), 1)
    assert client.post(f"{API}/{foreign.pk}/read", headers=bearer).status_code == 404
    assert client.post(f"{API}/read-all", headers=bearer).json() == {"marked_read": 1}


def test_read_only_token_cannot_mark_read(client, recipient):
    item = make(recipient, 1)
    _token, secret = create_token(recipient, "ro", ["read"])
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get(f"{API}/", headers=headers).status_code == 200
    assert client.post(f"{API}/{item.pk}/read", headers=headers).status_code == 403


def test_anonymous_callers_get_401(client):
    assert client.get(f"{API}/").status_code == 401
    assert client.get(f"{API}/deliveries").status_code == 401


def test_preferences(client, recipient, bearer):
    assert client.get(f"{API}/preferences", headers=bearer).json() == {
        "email_enabled": True,
        "email": "reader@example.gov.cn",
    }
    response = client.put(
        f"{API}/preferences",
        {"email_enabled": False},
        content_type="application/json",
        headers=bearer,
    )
    assert response.json()["email_enabled"] is False
    assert not services.email_enabled(recipient)


def test_webhook_create_list_test_delete(client, recipient, bearer, webhook_receiver):
    response = client.post(
        f"{API}/webhooks",
        {"url": webhook_receiver.url, "description": "bot"},
        content_type="application/json",
        headers=bearer,
    )
    assert response.status_code == 201
    created = response.json()
    endpoint = WebhookEndpoint.objects.get(pk=created["id"])
    assert created["secret"] == services.webhook_secret(endpoint)
    listed = client.get(f"{API}/webhooks", headers=bearer).json()
    assert listed[0]["url"] == webhook_receiver.url and "secret" not in listed[0]
    tested = client.post(f"{API}/webhooks/{endpoint.pk}/test", headers=bearer).json()
    assert tested == {"ok": True, "error": ""}
    assert client.delete(f"{API}/webhooks/{endpoint.pk}", headers=bearer).status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_bad_webhook_is_422_and_foreign_is_404(client, recipient, bearer, django_user_model):
    response = client.post(
        f"{API}/webhooks",
        {"url": "ftp://x.example.gov.cn/"},
        content_type="application/json",
        headers=bearer,
    )
    assert response.status_code == 422 and "http" in response.json()["detail"]
    foreign, _ = services.add_webhook(
        django_user_model.objects.create(username="other", role="unit_staff"),
        "https://a.example.gov.cn/",
    )
    assert client.delete(f"{API}/webhooks/{foreign.pk}", headers=bearer).status_code == 404


def test_deliveries_show_status_and_error(client, recipient, bearer, closed_port_url, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 1
    services.set_email_enabled(recipient, False)
    services.add_webhook(recipient, closed_port_url)
    make(recipient, 1)
    services.deliver_due()
    body = client.get(f"{API}/deliveries?status=dead", headers=bearer).json()
    [delivery] = body["items"]
    assert delivery["channel"] == "webhook" and delivery["status"] == "dead"
    assert delivery["last_error"] == "The message could not be delivered."
    assert delivery["error_kind"] == "undelivered"
    assert (
        "127.0.0.1" not in str(delivery["last_error"]) and "refused" not in delivery["last_error"]
    )
    assert client.get(f"{API}/deliveries?status=sent", headers=bearer).json()["count"] == 0
    assert client.get(f"{API}/deliveries?status=bogus", headers=bearer).status_code == 422


def test_list_query_budget(client, recipient, bearer, django_assert_max_num_queries):
    for n in range(30):
        make(recipient, n)
    with django_assert_max_num_queries(5):
        client.get(f"{API}/", headers=bearer)


def test_webhooks_filter_by_active(client, recipient, bearer):
    services.add_webhook(recipient, "https://hooks.example.org/on")
    off, _secret = services.add_webhook(recipient, "https://hooks.example.org/off")
    services.set_webhook_active(off, False, actor=recipient)
    listed = client.get(f"{API}/webhooks", {"active": "0"}, headers=bearer).json()
    assert [endpoint["url"] for endpoint in listed] == ["https://hooks.example.org/off"]
    assert client.get(f"{API}/webhooks", {"active": "maybe"}, headers=bearer).status_code == 422
