"""The exchange's sample (issue 16, point 6): ``loadsample`` gives a provider's table with
data, a consumer with a grant that leaves a column and rows out, and logged calls marked as
sample, chained and sealed — so the office's pages show something on first sight; loading
again adds nothing."""

import pytest
from django.urls import reverse

from shuzheng.accounts.models import User
from shuzheng.catalog.samples import load_sample_catalog
from shuzheng.exchange import log_services
from shuzheng.exchange.feed_models import FeedChange, FeedSubscription
from shuzheng.exchange.log_models import MessageLogEntry, MessageLogSeal
from shuzheng.exchange.models import AccessToken, Grant, PublishedTable
from shuzheng.exchange.samples import GRANTED_COUNTIES, load_sample_exchange
from shuzheng.orgs.services import load_sample_registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample():
    load_sample_registry()
    load_sample_catalog()
    return load_sample_exchange()


def test_the_sample_publishes_grants_and_logs_calls_once(sample):
    assert "7 rows" in sample and "6 logged calls" in sample
    table = PublishedTable.objects.get(resource__name="nx-medical-institutions")
    assert table.is_sample and table.row_count == 7 == table.rows.count()
    grant = Grant.objects.get(is_sample=True)
    assert grant.consumer.code == "nx-civil-affairs" and "beds" not in grant.columns
    assert grant.row_filters[0]["value"] == GRANTED_COUNTIES
    subscription = FeedSubscription.objects.get()
    assert subscription.is_sample and subscription.consumer == grant.consumer
    waiting = FeedChange.objects.filter(table=table, pk__gt=subscription.start_position)
    assert [(change.key, change.values["beds"]) for change in waiting] == [
        ("银川市第一人民医院（示例）", 1600)
    ]
    [delivery] = subscription.deliveries.all()
    assert delivery.changes == 1 and delivery.status == "sent" and delivery.max_delay_ms >= 0
    token = AccessToken.objects.get()
    assert token.is_sample and token.consumer == grant.consumer
    assert list(token.resources.all()) == [table.resource]
    entries = MessageLogEntry.objects.filter(is_sample=True)
    assert entries.count() == 6 and not entries.filter(sequence=None).exists()
    assert {entry.grant_id for entry in entries} == {grant.pk}
    assert {entry.token_id for entry in entries} == {token.pk}
    assert sorted({entry.status for entry in entries}) == [200, 400, 403]
    assert MessageLogSeal.objects.count() == 1
    assert log_services.verify_log().broken is None
    again = load_sample_exchange()
    assert "6 logged calls" in again
    assert (PublishedTable.objects.count(), Grant.objects.count()) == (1, 1)
    assert FeedSubscription.objects.count() == 1 and waiting.count() == 1
    assert AccessToken.objects.count() == 1 and subscription.deliveries.count() == 1
    assert MessageLogEntry.objects.count() == 6


def test_without_the_registry_and_catalog_the_sample_is_skipped():
    assert load_sample_exchange().startswith("skipped")
    assert not MessageLogEntry.objects.exists()


def test_the_office_pages_show_the_sample(sample, client):
    client.force_login(User.objects.create(username="office", role="supervisor"))
    overview = client.get(reverse("exchange:office")).context["overview"]
    assert overview.tables == 1 and overview.live_grants == 1 and overview.consumers == 1
    page = client.get(reverse("exchange:message_log"))
    text = page.content.decode()
    assert "宁夏回族自治区民政厅" in text and "Sample" in text
    assert len(page.context["page"].object_list) == 6
