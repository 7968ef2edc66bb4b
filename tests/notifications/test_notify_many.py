"""Many notices at once (issue 13, Done-when: an ingest notifies the owners of 1,000 saved
searches): the same checks and idempotence as one ``notify`` each, in a fixed number of
queries whatever the number of notices."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuzheng.accounts.choices import Role
from shuzheng.notifications import services
from shuzheng.notifications.choices import Channel
from shuzheng.notifications.models import Delivery, Notification

pytestmark = pytest.mark.django_db

TEXT = {
    "title": "关于加强数字政府建设的实施意见",
    "body": "涉及数据共享。",
    "reason": "已保存的检索",
}


def people(django_user_model, count, start=0):
    return [
        django_user_model.objects.create(
            username=f"p{n}", email=f"p{n}@example.gov.cn", role=Role.UNIT_STAFF
        )
        for n in range(start, start + count)
    ]


def notices(recipients, key="subscriptions:document:17"):
    return [
        services.Notice(
            person, kind="policy_match", dedupe_key=key, params=TEXT, link="/documents/17/"
        )
        for person in recipients
    ]


def queries_for(recipients) -> int:
    with CaptureQueriesContext(connection) as captured:
        created = services.notify_many(notices(recipients))
    assert len(created) == len(recipients)
    return len(captured)


def test_the_queries_do_not_grow_with_the_notices(django_user_model):
    few, many = people(django_user_model, 2), people(django_user_model, 40, start=2)
    assert queries_for(few) == queries_for(many)


def test_each_person_is_notified_once_per_event_with_a_delivery_per_channel(django_user_model):
    first, second = people(django_user_model, 2)
    services.set_email_enabled(second, False)
    assert len(services.notify_many(notices([first, first, second]))) == 2
    assert services.notify_many(notices([first, second])) == []
    assert Notification.objects.filter(dedupe_key="subscriptions:document:17").count() == 2
    assert list(Delivery.objects.values_list("notification__recipient", "channel")) == [
        (first.pk, Channel.EMAIL)
    ]


def test_a_notice_with_bad_input_writes_nothing(django_user_model):
    good, bad = notices(people(django_user_model, 2))
    bad = services.Notice(bad.recipient, kind="policy_match", dedupe_key="k", link="//elsewhere")
    with pytest.raises(services.NotificationError):
        services.notify_many([good, bad])
    assert not Notification.objects.exists()


def test_a_concurrent_notice_of_the_same_event_is_skipped_not_failed(
    django_user_model, monkeypatch
):
    """Another writer notified one of the people between the check and the insert: the
    batch's unique violation falls back to one insert each, and the duplicate is skipped."""
    first, second = people(django_user_model, 2)
    services.notify_many(notices([first]))
    monkeypatch.setattr(services, "_not_notified_yet", lambda batch: batch)
    created = services.notify_many(notices([first, second]))
    assert [n.recipient for n in created] == [second]
    assert Notification.objects.filter(recipient=first).count() == 1
