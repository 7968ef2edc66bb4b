"""The exchange office's pages (issue 16, point 7: "the exchange office (overview, …, log
verification)"): the overview counts the log's calls per day and the exchange's tables,
grants and units; the message log lists and filters calls with their consumers' names; the
verification page verifies the chain now — naming a tampered entry — and seals its head."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from shuzheng.accounts.models import User
from shuzheng.exchange import hooks, log_services
from shuzheng.exchange.hooks import AnsweredCall
from shuzheng.exchange.log_models import MessageLogEntry, MessageLogSeal
from shuzheng.orgs.models import Region, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client):
    user = User.objects.create(username="exchange-office", role="supervisor")
    client.force_login(user)
    return client


@pytest.fixture
def units():
    region = Region.objects.create(code="640000", name="宁夏回族自治区", level="province")
    return [
        Unit.objects.create(code=f"u{n}", name=name, kind="department", region=region)
        for n, name in enumerate(("自治区民政厅", "自治区公安厅"))
    ]


def call(consumer, *, status=200, at=None, code="NX-001", rows=3):
    hooks.call_answered(
        AnsweredCall(
            at=at or timezone.now(),
            consumer_id=consumer.pk if consumer else None,
            token_id=1,
            grant_id=2,
            resource_code=code,
            method="GET",
            path=f"/api/v1/exchange/resources/{code}/rows",
            query="select=name",
            status=status,
            response_digest="a" * 64,
            rows=rows,
        )
    )


def test_the_overview_counts_calls_per_day_and_the_most_called(office, units):
    civil, police = units
    call(civil)
    call(civil, code="NX-002")
    call(police, status=403, rows=0)
    call(police, at=timezone.now() - dt.timedelta(days=30))  # before the window
    page = office.get(reverse("exchange:office"))
    assert page.status_code == 200
    overview = page.context["overview"]
    assert (overview.calls, overview.refused) == (3, 1)
    today = overview.days[-1]
    assert (today.day, today.calls, today.refused, today.rows) == (
        timezone.localdate(),
        3,
        1,
        6,
    )
    assert [(r.label, r.calls) for r in overview.top_consumers] == [
        ("自治区民政厅", 2),
        ("自治区公安厅", 1),
    ]
    assert overview.top_resources[0].label == "NX-001"
    assert overview.state.waiting == 4 and overview.state.head_sequence == 0
    assert "自治区民政厅" in page.content.decode()


def test_the_message_log_lists_calls_with_consumers_and_filters_them(office, units):
    civil, police = units
    call(civil)
    call(police, status=403, code="NX-002")
    call(police, status=503, at=timezone.now() - dt.timedelta(days=3))
    log_services.chain_pending_entries()
    url = reverse("exchange:message_log")
    page = office.get(url)
    text = page.content.decode()
    assert page.status_code == 200 and "自治区公安厅" in text and "#3" in text
    assert [row.consumer for row in page.context["page"].object_list] == [police, civil, police]
    assert len(office.get(url, {"consumer": civil.pk}).context["page"].object_list) == 1
    refused = office.get(url, {"status": "refused"}).context["page"].object_list
    assert [row.status for row in refused] == [403]
    assert [r.status for r in office.get(url, {"status": "failed"}).context["page"]] == [503]
    assert len(office.get(url, {"resource": "NX-002"}).context["page"].object_list) == 1
    today = timezone.localdate().isoformat()
    assert len(office.get(url, {"since": today}).context["page"].object_list) == 2


@pytest.mark.parametrize(
    "query",
    [{"consumer": "nonsense"}, {"status": "'; DROP TABLE x"}, {"since": "2026-13-45"}],
)
def test_bad_filters_are_shown_not_a_500(office, units, query):
    call(units[0])
    page = office.get(reverse("exchange:message_log"), query)
    assert page.status_code == 200
    assert page.context["form"].errors
    assert len(page.context["page"].object_list) == 1


def test_a_date_range_that_ends_before_it_starts_filters_nothing(office, units):
    call(units[0])
    page = office.get(
        reverse("exchange:message_log"), {"since": "2026-12-05", "until": "2026-12-01"}
    )
    assert page.status_code == 200 and page.context["form"].non_field_errors()


def test_an_htmx_request_gets_the_results_only(office, units):
    call(units[0])
    page = office.get(reverse("exchange:message_log"), headers={"HX-Request": "true"})
    assert b"<form" not in page.content and b"<table" in page.content


def test_verifying_on_the_page_names_a_tampered_entry(office, units):
    for _ in range(3):
        call(units[0])
    log_services.chain_pending_entries()
    page = office.post(reverse("exchange:log_verify_now"))
    assert page.status_code == 200 and page.context["walk"].broken is None
    assert 'data-verdict="holds"' in page.content.decode()
    second = MessageLogEntry.objects.get(sequence=2)
    MessageLogEntry.objects.filter(pk=second.pk).update(rows=99)
    page = office.post(reverse("exchange:log_verify_now"))
    assert page.context["walk"].broken.sequence == 2
    text = page.content.decode()
    assert 'data-verdict="broken"' in text and "#2" in text and f"id {second.pk}" in text


def test_sealing_on_the_page_seals_the_head_once(office, units):
    call(units[0])
    page = office.post(reverse("exchange:log_seal_now"), follow=True)
    assert MessageLogSeal.objects.count() == 1
    assert "#1" in page.content.decode()
    office.post(reverse("exchange:log_seal_now"))
    assert MessageLogSeal.objects.count() == 1
    page = office.get(reverse("exchange:log_verification"))
    assert page.context["state"].seals == 1 and len(page.context["seals"]) == 1


@pytest.mark.chinese_ui
def test_the_pages_are_in_chinese(office, units):
    call(units[0])
    log_services.seal_log_head()
    for name in ("exchange:office", "exchange:message_log", "exchange:log_verification"):
        text = office.get(reverse(name)).content.decode()
        assert "消息日志" in text and "Message log" not in text
