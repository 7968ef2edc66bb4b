"""Search by 主题分类 (issue 14, point 3): the 主题: filter of the query language, the URL and
API parameter, the facet and the advanced form's select — kept alike by the engine, the SQL
peer and the subscription matcher. Runs on SQLite and PostgreSQL."""

from dataclasses import replace

import pytest
from django.db import connection

from shuzheng.search import matcher, services
from shuzheng.search.backends import backend_for
from shuzheng.search.query import QueryError, SearchQuery, match_plan, parse_query
from tests.search.sample_items import DIGITAL_GOVERNMENT, ECO_COMPENSATION, sample_items

pytestmark = pytest.mark.django_db

#: The sample documents' topics: one class, and two (a document may have several).
TOPICS = {DIGITAL_GOVERNMENT: ("01",), ECO_COMPENSATION: ("09", "03")}


@pytest.fixture
def classified(db):
    items = [replace(item, topics=TOPICS[item.document_id]) for item in sample_items()]
    services.rebuild(items)
    return items


def _documents(results) -> set[int]:
    return {hit.document_id for hit in results.hits}


def test_the_topic_filter_is_typed_by_name_part_or_code():
    assert parse_query("机制 主题:环境保护").topic == "环境保护"
    assert parse_query("topic：09").topic == "09"
    assert parse_query("主题分类:财政").topic == "财政"
    assert SearchQuery(text="主题:环境保护").with_text_filters()[0].topic_codes == ("09",)
    assert SearchQuery(topic="安全").topic_codes == ("08", "15")


def test_a_topic_of_no_class_is_refused_with_its_value():
    with pytest.raises(QueryError, match='not "天文"'):
        parse_query("主题:天文")
    with pytest.raises(QueryError, match="主题分类"):
        SearchQuery(topic="天文")


QUERIES = ["机制 主题:环境保护", "机制 主题:财政", "机制 topic:01", "机制 主题:科技", "机制"]


def test_the_engine_keeps_the_entries_of_the_topic(classified, run_search):
    everything = run_search("机制", per_page=100)
    assert _documents(everything) == {DIGITAL_GOVERNMENT, ECO_COMPENSATION}
    environment = run_search("机制 主题:环境保护", per_page=100)
    assert _documents(environment) == {ECO_COMPENSATION}
    # Either of a document's topics finds all its entries.
    assert run_search("机制 主题:财政").total == environment.total
    general = run_search("机制", topic="01", per_page=100)
    assert _documents(general) == {DIGITAL_GOVERNMENT}
    assert general.total + environment.total == everything.total
    assert run_search("机制 主题:科技").total == 0


def test_the_topic_facet_counts_codes(classified, run_search):
    facets = {item.value: item.count for item in run_search("机制").facets["topic"]}
    totals = {code: run_search("机制", topic=code).total for code in ("01", "03", "09")}
    assert facets == totals


def test_the_sql_peer_keeps_the_same_entries_and_counts(classified, run_search):
    backend = backend_for(connection.vendor)
    for text in QUERIES:
        query, parsed = SearchQuery(text=text).with_text_filters()
        plan = match_plan(parsed, services.segmenter())
        filters = services._filters(query, public_only=True)
        with connection.cursor() as cursor:
            filters = backend.resolve_loose_names(cursor, filters)
            total, _, facets = backend.search(
                cursor, plan, filters, sort="relevance", page=1, per_page=10
            )
        engine = run_search(text)
        assert total == engine.total, text
        assert facets["topic"] == engine.facets["topic"], text


def test_the_subscription_matcher_keeps_the_same_entries(classified, run_search):
    entries = services.matchable_items(classified)
    for text in QUERIES:
        (compiled,) = services.compile_queries([(SearchQuery(text=text), None)])
        found = matcher.matching(compiled.plan, compiled.filters, entries)
        assert len(found) == run_search(text).total, text


def test_the_api_takes_the_topic(classified, client):
    response = client.get("/api/v1/search", {"q": "机制", "topic": "环境保护"})
    assert response.status_code == 200
    body = response.json()
    assert {hit["document_id"] for hit in body["hits"]} == {ECO_COMPENSATION}
    assert {item["value"] for item in body["facets"]["topic"]} == {"03", "09"}
    bad = client.get("/api/v1/search", {"q": "机制", "topic": "天文"})
    assert bad.status_code == 400 and "天文" in bad.json()["detail"]


def test_the_page_has_the_topic_facet_and_select(classified, client):
    html = client.get("/search/", {"q": "机制"}).content.decode()
    assert '<details class="advanced-search">' in html
    assert '<select id="search-topic" name="topic">' in html
    assert '<option value="09">Urban and rural construction, environment</option>' in html
    assert "?q=%E6%9C%BA%E5%88%B6&amp;topic=09" in html  # the facet's link
    chosen = client.get("/search/", {"q": "机制", "topic": "09"}).content.decode()
    assert '<details class="advanced-search" open>' in chosen
    assert '<option value="09" selected>' in chosen
    assert 'type="hidden" name="topic"' not in chosen
    assert f"/documents/{DIGITAL_GOVERNMENT}/?hl=" not in chosen
    assert f"/documents/{ECO_COMPENSATION}/?hl=" in chosen


def test_the_page_names_topics_in_chinese(classified, client):
    html = client.get(
        "/search/", {"q": "机制", "topic": "环境保护"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "主题分类" in html and "城乡建设、环境保护" in html
    assert '<option value="09" selected>' in html
    bad = client.get("/search/", {"q": "主题:天文"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.status_code == 400 and "天文" in bad.content.decode()
