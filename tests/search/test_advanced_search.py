"""The advanced search (issue 14): the 发布日期 range in the query language, the URL, the
API, the engine, the SQL peer and the subscription matcher, and the search page's
collapsed form of field restrictions. Runs on SQLite and PostgreSQL."""

import datetime
from dataclasses import replace

import pytest
from django.db import connection

from shuzheng.search import matcher, services
from shuzheng.search.backends import backend_for
from shuzheng.search.query import (
    QueryError,
    SearchQuery,
    match_plan,
    parse_query,
    query_from_params,
)
from tests.search.sample_items import ECO_COMPENSATION, sample_items

pytestmark = pytest.mark.django_db

LATER = datetime.date(2023, 10, 16)


@pytest.fixture
def dated(db):
    """The sample gazette with its second document published later than the first."""
    items = [
        replace(item, published_on=LATER) if item.document_id == ECO_COMPENSATION else item
        for item in sample_items()
    ]
    services.rebuild(items)
    return items


def test_the_date_filter_takes_a_range_an_open_end_or_one_day():
    parsed = parse_query("机制 发布日期:2023-01-01..2023-06-30")
    assert (parsed.date_from, parsed.date_to) == (
        datetime.date(2023, 1, 1),
        datetime.date(2023, 6, 30),
    )
    assert [word.text for word in parsed.words] == ["机制"]
    assert parse_query("日期：2023年6月1日至").date_from == datetime.date(2023, 6, 1)
    assert parse_query("日期：2023年6月1日至").date_to is None
    assert parse_query("date:..2023/6/30").date_to == datetime.date(2023, 6, 30)
    day = parse_query("发布日期:2023-05-31")
    assert day.date_from == day.date_to == datetime.date(2023, 5, 31)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("发布日期:去年", '发布日期/date must be a date such as 2023-06-30, not "去年".'),
        (
            "发布日期:2023-02-30",
            '发布日期/date must be a date such as 2023-06-30, not "2023-02-30".',
        ),
        ("发布日期:..", '发布日期/date must be a date such as 2023-06-30, not "..".'),
        ("发布日期:2023-07-01..2023-06-30", "The first date of the range is after the last."),
    ],
)
def test_a_bad_date_is_refused_with_its_value(text, message):
    with pytest.raises(QueryError) as error:
        parse_query(text)
    assert str(error.value) == message


def test_url_parameters_name_the_bad_date():
    with pytest.raises(QueryError, match="The first publication date must be a date"):
        query_from_params({"date_from": "2023-13-01"})
    with pytest.raises(QueryError, match="after the last"):
        query_from_params({"date_from": "2023-07-01", "date_to": "2023-06-30"})
    query = query_from_params({"date_from": "2023-06-01"})
    assert query.date_from == datetime.date(2023, 6, 1) and query.date_to is None


def test_a_parameter_range_replaces_the_typed_one():
    query, _ = SearchQuery(
        text="发布日期:2020-01-01..2020-12-31", date_from=datetime.date(2023, 6, 1)
    ).with_text_filters()
    assert (query.date_from, query.date_to) == (datetime.date(2023, 6, 1), None)


def _documents(results) -> set[int]:
    return {hit.document_id for hit in results.hits}


def test_the_engine_keeps_the_entries_published_in_the_range(dated, run_search):
    everything = run_search("机制", per_page=100)
    assert len(_documents(everything)) == 2
    later = run_search("机制 发布日期:2023-10-01..", per_page=100)
    assert _documents(later) == {ECO_COMPENSATION}
    earlier = run_search("机制", date_to=datetime.date(2023, 10, 15), per_page=100)
    assert ECO_COMPENSATION not in _documents(earlier) and earlier.total
    assert later.total + earlier.total == everything.total
    # The range's ends are included.
    assert run_search("机制", date_from=LATER, date_to=LATER).total == later.total
    assert run_search("机制 发布日期:2024-01-01..").total == 0


def test_the_sql_peer_keeps_the_same_entries(dated, run_search):
    backend = backend_for(connection.vendor)
    for text in ("机制 发布日期:2023-10-01..", "机制 发布日期:..2023-10-15", "机制"):
        query, parsed = SearchQuery(text=text).with_text_filters()
        plan = match_plan(parsed, services.segmenter())
        filters = services._filters(query, public_only=True)
        with connection.cursor() as cursor:
            filters = backend.resolve_loose_names(cursor, filters)
            total, _, _ = backend.search(
                cursor, plan, filters, sort="relevance", page=1, per_page=10
            )
        assert total == run_search(text).total, text


def test_the_subscription_matcher_keeps_the_same_entries(dated):
    entries = services.matchable_items(dated)
    for text in ("机制 发布日期:2023-10-01..", "机制 发布日期:..2023-05-31"):
        (compiled,) = services.compile_queries([(SearchQuery(text=text), None)])
        found = matcher.matching(compiled.plan, compiled.filters, entries)
        assert found
        expected = {ECO_COMPENSATION} if text.endswith("..") else {1}
        assert {entry.item.document_id for entry in found} == expected


def test_the_api_takes_the_date_range(dated, client):
    response = client.get("/api/v1/search", {"q": "机制", "date_from": "2023-10-01"})
    assert response.status_code == 200
    assert {hit["document_id"] for hit in response.json()["hits"]} == {ECO_COMPENSATION}
    bad = client.get("/api/v1/search", {"q": "机制", "date_to": "明天"})
    assert bad.status_code == 400
    assert "The last publication date" in bad.json()["detail"]


def test_the_advanced_form_is_collapsed_until_one_of_its_fields_is_used(dated, client):
    html = client.get("/search/", {"q": "机制"}).content.decode()
    assert '<details class="advanced-search">' in html
    for name in ("number", "issuer", "type", "year", "date_from", "date_to"):
        assert f'name="{name}"' in html
    filtered = client.get("/search/", {"q": "机制", "date_from": "2023-10-01"})
    page = filtered.content.decode()
    assert '<details class="advanced-search" open>' in page
    assert 'name="date_from" value="2023-10-01"' in page
    # The field is the form's, not also a hidden copy of it.
    assert 'type="hidden" name="date_from"' not in page
    assert "/documents/1/?hl=" not in page and f"/documents/{ECO_COMPENSATION}/?hl=" in page


def test_the_page_words_a_bad_date_in_chinese(dated, client):
    response = client.get(
        "/search/", {"q": "机制", "date_from": "2023-02-30"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400
    assert "起始发布日期" in response.content.decode()
