"""The ledger's notifications store their kind and parameters, never a sentence (issue 8):
each reader sees them in their own language — the inbox and the API in the reader's, an
e-mail in the recipient's, a webhook in the site's with the parameters beside the text."""

import json

import pytest
from django.utils import translation

from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.notifications import services
from shuzheng.notifications.models import Notification
from shuzheng.notifications.wording import word
from shuzheng.tasks.services.notices import TASK_RED_LIGHT, TASK_REMINDER

pytestmark = pytest.mark.django_db

REMINDER = {
    "stage": "after",
    "task": "加快推进数据共享",
    "due": "2024-12-31",
    "milestone": "",
    "milestone_kind": "complete",
}


@pytest.fixture
def staff(db):
    return User.objects.create_user("yc_staff", email="staff@example.com", role=Role.UNIT_STAFF)


def remind(person) -> Notification:
    with translation.override("en"):  # the sender's language does not matter
        return services.notify(
            person, kind=TASK_REMINDER, params=REMINDER, link="/tasks/1/", dedupe_key="r:1"
        )


def test_a_reminder_is_stored_without_text_and_worded_in_each_readers_language(staff):
    notification = remind(staff)
    stored = Notification.objects.filter(pk=notification.pk).values()[0]
    assert stored["params"] == REMINDER
    assert not {"title", "body", "reason"} & set(stored)
    notification = Notification.objects.get(pk=notification.pk)
    with translation.override("zh-hans"):
        chinese = (notification.title, notification.body, notification.reason)
    with translation.override("en"):
        english = notification.title
    assert english == "Overdue (催办): 加快推进数据共享 was due on 2024-12-31"
    assert "Overdue" not in chinese[0] and "2024-12-31" in chinese[0]
    assert "完成" in chinese[1] and "Milestone" not in chinese[1]
    assert not any(c.isascii() and c.isalpha() for c in "".join(chinese))


@pytest.mark.chinese_ui
def test_the_inbox_page_and_the_api_speak_the_readers_language(client, staff):
    remind(staff)
    client.force_login(staff)
    page = client.get("/inbox/", headers={"accept-language": "zh-hans"})
    with translation.override("zh-hans"):
        chinese_title = word(TASK_REMINDER, REMINDER).title
    assert chinese_title in page.content.decode()
    api = client.get("/api/v1/notifications/", headers={"accept-language": "en"})
    with translation.override("en"):
        english = word(TASK_REMINDER, REMINDER).title
    assert api.json()["items"][0]["title"] == english != chinese_title


def test_an_e_mail_is_written_in_the_recipients_language(staff, smtp_server, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    services.set_email_enabled(staff, True, language="en")
    remind(staff)
    with translation.override("zh-hans"):  # the worker's language does not matter either
        assert services.deliver_due().sent == 1
    [mail] = smtp_server.received
    assert mail.subject == "Overdue (催办): 加快推进数据共享 was due on 2024-12-31"
    assert "Milestone: Completion." in mail.body


def test_a_webhook_carries_the_code_the_parameters_and_the_sites_chinese(staff, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    notification = services.notify(
        staff,
        kind=TASK_RED_LIGHT,
        params={
            **REMINDER,
            "light": "red",
            "reason": "overdue",
            "on": "2024-12-31",
            "days": 3,
        },
        dedupe_key="red:1",
    )
    delivery = notification.deliveries.model(notification=notification, pk=1)
    with translation.override("en"):
        payload = services.webhook_payload(delivery)["notification"]
    assert payload["kind"] == TASK_RED_LIGHT and payload["params"]["days"] == 3
    assert payload["language"] == "zh-hans"
    assert payload["title"] == "红灯：加快推进数据共享"
    assert "：" in payload["body"] and ": " not in payload["body"]
    json.dumps(payload, ensure_ascii=False)


def test_an_unknown_kind_or_parameters_that_do_not_word_it_are_refused(staff):
    with pytest.raises(services.NotificationError, match="no wording"):
        services.notify(staff, kind="nobody_knows", params={}, dedupe_key="x")
    with pytest.raises(services.NotificationError, match="do not word"):
        services.notify(staff, kind=TASK_REMINDER, params={"stage": "after"}, dedupe_key="y")
    assert not Notification.objects.exists()
