"""Words scoped to the title or the text (issue 14, point 3: the advanced search's 标题 and
正文 boxes, and ``标题:`` / ``正文:`` in the query language), kept alike by the tantivy
engine, the SQL peer and the subscription matcher. Runs on SQLite and PostgreSQL."""

import pytest
from django.db import connection

from shuzheng.search import matcher, services
from shuzheng.search.backends import backend_for
from shuzheng.search.query import QueryError, SearchQuery, match_plan, parse_query
from tests.search.sample_items import sample_items

pytestmark = pytest.mark.django_db

#: Scoped queries over the sample gazette, each with hits in both scopes' complements: 生态
#: is in one document's title and many headings, and in the text of far more entries.
QUERIES = (
    "标题:生态",
    "正文:生态",
    "生态 -标题:生态",
    "标题:“数字政府”",
    "正文:数据 标题:共享",
)


@pytest.fixture
def library(db):
    items = sample_items()
    services.rebuild(items)
    return items


def _title_text(item) -> str:
    """What 标题: looks in: a document's title and number, a section's or task's heading."""
    return f"{item.title} {item.doc_number}" if item.kind == "document" else item.heading


def test_the_query_language_scopes_a_word_a_phrase_and_an_exclusion():
    (word,) = parse_query("标题:生态").words
    assert (word.text, word.scope, word.phrase, word.negated) == ("生态", "title", False, False)
    (phrase,) = parse_query("正文：“数字政府”").words
    assert (phrase.text, phrase.scope, phrase.phrase) == ("数字政府", "body", True)
    (excluded,) = parse_query("-title:疫情").words
    assert (excluded.scope, excluded.negated) == ("title", True)


def test_a_scoped_word_is_not_matched_through_the_domain_terms():
    plan = match_plan(parse_query("标题:一网通办"), services.segmenter())
    (group,) = plan.groups
    assert group.scope == "title" and group.term == ""


@pytest.mark.parametrize("text", ["标题:", "标题:税", "正文:“ ”"])
def test_a_scoped_word_needs_a_word(text):
    with pytest.raises(QueryError):
        parse_query(text)


def test_title_words_are_in_the_title_and_body_words_in_the_text(library, run_search):
    items = {(item.kind, item.object_id): item for item in library}
    in_title = run_search("标题:生态", per_page=100)
    in_body = run_search("正文:生态", per_page=100)
    anywhere = run_search("生态", per_page=100)
    assert in_title.total and in_body.total
    assert in_title.total < anywhere.total and in_body.total < anywhere.total
    for hit in in_title.hits:
        assert "生态" in _title_text(items[(hit.kind, hit.object_id)])
    for hit in in_body.hits:
        assert "生态" in items[(hit.kind, hit.object_id)].body
    outside_titles = run_search("生态 -标题:生态").total
    assert outside_titles == anywhere.total - in_title.total


def test_the_boxes_are_the_same_as_the_typed_scopes(library, run_search):
    typed = run_search("正文:数据 标题:共享")
    boxed = run_search("", body_words="数据", title_words="共享")
    assert typed.total == boxed.total > 0
    assert [hit.object_id for hit in typed.hits] == [hit.object_id for hit in boxed.hits]


@pytest.mark.parametrize("text", QUERIES)
def test_the_sql_peer_and_the_matcher_find_the_same_entries(library, run_search, text):
    expected = run_search(text, per_page=100)
    query, parsed = SearchQuery(text=text).with_text_filters()
    plan = match_plan(parsed, services.segmenter())
    backend = backend_for(connection.vendor)
    with connection.cursor() as cursor:
        filters = backend.resolve_loose_names(cursor, services._filters(query, public_only=True))
        total, _, _ = backend.search(cursor, plan, filters, sort="relevance", page=1, per_page=10)
    assert total == expected.total, text
    (compiled,) = services.compile_queries([(SearchQuery(text=text), None)])
    found = matcher.matching(compiled.plan, compiled.filters, services.matchable_items(library))
    assert len(found) == expected.total, text


def test_the_api_and_the_page_take_the_scoped_boxes(library, client):
    response = client.get("/api/v1/search", {"title": "生态"})
    assert response.status_code == 200
    assert response.json()["total"] == services.search(SearchQuery(title_words="生态")).total
    page = client.get("/search/", {"title": "生态"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert '<details class="advanced-search" open>' in html
    assert 'name="title" value="生态"' in html and "标题含有" in html
    bad = client.get("/search/", {"title": "税"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.status_code == 400
    assert "两个字以上" in bad.content.decode()
