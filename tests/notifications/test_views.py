"""The inbox pages, without JavaScript (plain forms) and with htmx."""

import pytest

from shuzheng.notifications import services
from shuzheng.notifications.models import Notification, WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, recipient):
    client.force_login(recipient)
    return client


def make(recipient, n, **fields):
    return services.notify(
        recipient,
        kind="task_reminder",
        params={
            "title": f"任务提醒 {n}",
            "body": "请于本月底前报送进展。",
            "reason": fields.pop("reason", "you are the lead unit of task 7"),
        },
        link=f"/tasks/{n}/",
        dedupe_key=f"ledger:task:{n}",
    )


def test_inbox_lists_newest_first_with_reason_link_and_unread_marks(signed_in, recipient):
    make(recipient, 1)
    make(recipient, 2)
    response = signed_in.get("/inbox/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("任务提醒 2") < html.index("任务提醒 1")
    assert 'href="/tasks/2/"' in html
    assert "you are the lead unit of task 7" in html
    assert html.count("notification-unread") == 2
    assert 'href="/inbox/"' in html and "(2)" in html  # the header link with its count


def test_the_header_shows_the_inbox_only_to_signed_in_people(client, signed_in):
    assert "/inbox/" in signed_in.get("/").content.decode()
    client.logout()
    assert 'href="/inbox/"' not in client.get("/").content.decode()


def test_inbox_is_paginated_and_filters_unread(signed_in, recipient):
    items = [make(recipient, n) for n in range(25)]
    services.mark_read(items[24], user=recipient)
    first = signed_in.get("/inbox/").content.decode()
    assert "任务提醒 24" in first and "任务提醒 4<" not in first
    second = signed_in.get("/inbox/?page=2").content.decode()
    assert "任务提醒 4<" in second
    unread = signed_in.get("/inbox/?unread=1").content.decode()
    assert "任务提醒 24" not in unread and "任务提醒 23" in unread


def test_mark_read_without_javascript_redirects_back(signed_in, recipient):
    item = make(recipient, 1)
    response = signed_in.post(f"/inbox/{item.pk}/read/", {"next": "/inbox/?page=1"})
    assert response.status_code == 302 and response["Location"] == "/inbox/?page=1"
    item.refresh_from_db()
    assert item.read_at is not None


def test_mark_read_refuses_foreign_redirects(signed_in, recipient):
    item = make(recipient, 1)
    response = signed_in.post(f"/inbox/{item.pk}/read/", {"next": "https://evil.example.com/"})
    assert response["Location"] == "/inbox/"


def test_mark_read_with_htmx_returns_the_item(signed_in, recipient):
    item = make(recipient, 1)
    response = signed_in.post(f"/inbox/{item.pk}/read/", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{item.pk}"' in html and "notification-unread" not in html
    assert "<html" not in html


def test_mark_all_read(signed_in, recipient):
    make(recipient, 1)
    make(recipient, 2)
    response = signed_in.post("/inbox/read-all/")
    assert response.status_code == 302
    assert services.unread_count(recipient) == 0


def test_nobody_reads_or_marks_another_persons_notification(client, recipient, django_user_model):
    item = make(recipient, 1)
    stranger = django_user_model.objects.create(username="stranger")
    client.force_login(stranger)
    assert "任务提醒 1" not in client.get("/inbox/").content.decode()
    assert client.post(f"/inbox/{item.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=item.pk).read_at is None


def test_get_cannot_mark_read(signed_in, recipient):
    item = make(recipient, 1)
    assert signed_in.get(f"/inbox/{item.pk}/read/").status_code == 405


def test_settings_switch_email_off_and_on(signed_in, recipient):
    assert signed_in.post("/inbox/settings/email/", {}).status_code == 302
    assert not services.email_enabled(recipient)
    signed_in.post("/inbox/settings/email/", {"email_enabled": "on"})
    assert services.email_enabled(recipient)
    assert "checked" in signed_in.get("/inbox/settings/").content.decode()


def test_adding_a_webhook_shows_its_secret_once(signed_in, recipient):
    response = signed_in.post(
        "/inbox/settings/webhooks/",
        {"url": "https://bot.example.gov.cn/hook", "description": "办公室机器人"},
    )
    html = response.content.decode()
    endpoint = WebhookEndpoint.objects.get(owner=recipient)
    secret = services.webhook_secret(endpoint)
    assert response.status_code == 200 and secret in html
    again = signed_in.get("/inbox/settings/").content.decode()
    assert "https://bot.example.gov.cn/hook" in again and secret not in again


def test_a_bad_webhook_url_is_explained(signed_in):
    response = signed_in.post("/inbox/settings/webhooks/", {"url": "ftp://x.example.gov.cn/"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_disable_test_and_delete_a_webhook(signed_in, recipient, webhook_receiver):
    endpoint, _ = services.add_webhook(recipient, webhook_receiver.url)
    base = f"/inbox/settings/webhooks/{endpoint.pk}"
    signed_in.post(f"{base}/test/")
    assert len(webhook_receiver.received) == 1
    signed_in.post(f"{base}/active/", {"active": "0"})
    endpoint.refresh_from_db()
    assert not endpoint.active
    signed_in.post(f"{base}/delete/")
    assert not WebhookEndpoint.objects.exists()


def test_a_failed_test_send_shows_the_error(signed_in, recipient, closed_port_url):
    endpoint, _ = services.add_webhook(recipient, closed_port_url)
    response = signed_in.post(f"/inbox/settings/webhooks/{endpoint.pk}/test/", follow=True)
    html = response.content.decode()
    assert "failed: The message could not be delivered." in html
    assert "Connection refused" not in html and "connection failed" not in html


def test_nobody_manages_another_persons_webhook(client, recipient, django_user_model):
    endpoint, _ = services.add_webhook(recipient, "https://a.example.gov.cn/hook")
    client.force_login(django_user_model.objects.create(username="stranger", role="unit_staff"))
    base = f"/inbox/settings/webhooks/{endpoint.pk}"
    for action in ("test", "active", "delete"):
        assert client.post(f"{base}/{action}/").status_code == 404
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).active


def test_failed_and_dead_deliveries_show_their_error(
    signed_in, recipient, closed_port_url, settings
):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 1
    services.set_email_enabled(recipient, False)
    services.add_webhook(recipient, closed_port_url)
    make(recipient, 1)
    services.deliver_due()
    html = signed_in.get("/inbox/settings/").content.decode()
    assert "The message could not be delivered." in html and "delivery-dead" in html
    assert "Connection refused" not in html


def test_inbox_query_budget(signed_in, recipient, django_assert_max_num_queries):
    for n in range(20):
        make(recipient, n)
    with django_assert_max_num_queries(6):
        signed_in.get("/inbox/")


def test_administrators_see_every_delivery_with_its_error_in_admin(
    client, recipient, closed_port_url, settings, django_user_model
):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 1
    services.set_email_enabled(recipient, False)
    services.add_webhook(recipient, closed_port_url)
    make(recipient, 1)
    services.deliver_due()
    admin = django_user_model.objects.create(username="root", role="administrator")
    client.force_login(admin)
    html = client.get("/admin/notifications/delivery/?status__exact=dead").content.decode()
    assert "connection failed" in html and closed_port_url in html
    endpoint_page = client.get("/admin/notifications/webhookendpoint/").content.decode()
    assert closed_port_url in endpoint_page
