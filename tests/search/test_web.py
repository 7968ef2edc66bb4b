"""The results page, the JSON API and the CLI (issue 4, item 5), on the sample index."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from shuzheng.search import services
from shuzheng.search.items import IndexItem
from tests.search.sample_items import DIGITAL_GOVERNMENT

pytestmark = pytest.mark.django_db


def test_results_page_lists_hits_facets_and_pages(indexed, client):
    response = client.get("/search/", {"q": "数据"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>数据</mark>" in html
    assert 'href="?q=%E6%95%B0%E6%8D%AE&amp;kind=task"' in html
    assert 'hx-push-url="true"' in html
    assert "/documents/1/?hl=%E6%95%B0%E6%8D%AE#task-" in html
    assert 'rel="next"' in html and 'rel="prev"' not in html
    second = client.get("/search/", {"q": "数据", "page": "2"}).content.decode()
    assert 'rel="prev"' in second


def test_facet_link_filters_and_htmx_gets_the_partial(indexed, client):
    page = client.get("/search/", {"q": "数据共享", "kind": "task"})
    partial = client.get("/search/", {"q": "数据共享", "kind": "task"}, HTTP_HX_REQUEST="true")
    assert "<html" in page.content.decode()
    body = partial.content.decode()
    assert "<html" not in body and 'id="search-q"' not in body
    assert "hit-section" not in body and "hit-task" in body
    assert 'aria-current="true"' in body


def test_results_page_without_query_shows_the_form(client, db):
    response = client.get("/search/")
    assert response.status_code == 200
    assert 'id="search-q"' in response.content.decode()


def test_results_page_reports_bad_input(indexed, client):
    response = client.get("/search/", {"q": "年份:去年"})
    assert response.status_code == 400
    assert "four-digit year" in response.content.decode()
    assert client.get("/search/", {"q": "数据", "page": "two"}).status_code == 400


def test_query_text_is_escaped_in_the_page(indexed, client):
    response = client.get("/search/", {"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_every_page_has_a_labelled_search_box(client, db):
    html = client.get("/").content.decode()
    # The label is there for screen readers even where the header shows only the box.
    assert '<label for="header-search-q"' in html
    assert 'action="/search/"' in html


def test_api_returns_the_results_contract(indexed, client):
    response = client.get("/api/v1/search", {"q": "一网通办", "kind": "task"})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"total", "page", "per_page", "pages", "hits", "facets"}
    hit = data["hits"][0]
    assert hit["kind"] == "task" and hit["task_number"] == "89"
    assert hit["url"] == f"/documents/{DIGITAL_GOVERNMENT}/#task-89"
    assert "<mark>一网通办</mark>" in hit["snippet"]
    assert {"value": "task", "count": data["total"]} in data["facets"]["kind"]


def test_api_refuses_bad_input_with_400(indexed, client):
    response = client.get("/api/v1/search", {"q": "文号:第十七号"})
    assert response.status_code == 400
    assert "宁政发" in response.json()["detail"]
    assert client.get("/api/v1/search", {"kind": "chapter"}).status_code == 400


def test_cli_prints_hits_and_json(indexed):
    out = StringIO()
    call_command("search", "一网通办", "--kind", "task", stdout=out)
    assert "[task 89]" in out.getvalue() and "[一网通办]" in out.getvalue()
    out = StringIO()
    call_command("search", "宁政发[2023]17号", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["hits"][0]["kind"] == "document"
    assert data["hits"][0]["doc_number"] == "宁政发〔2023〕17号"


def test_cli_reports_bad_input(indexed):
    with pytest.raises(CommandError, match="year"):
        call_command("search", "年份:去年")


@pytest.mark.chinese_ui
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["年份:去年"], "年份须为四位数字，而不是“去年”。"),
        (["数据", "--kind", "chapter"], "检索层级须为以下之一：公文、章节、重点任务。"),
        (["数据", "--year", "去年"], "年份须为整数，而不是“去年”。"),
        (["数据", "--language", "fr"], "--language 须为以下之一：zh-hans、en。"),
    ],
)
def test_cli_words_bad_input_as_the_page_does_in_chinese_by_default(
    indexed, monkeypatch, arguments, message
):
    monkeypatch.delenv("LANGUAGE", raising=False)
    with pytest.raises(CommandError) as raised:
        call_command("search", *arguments)
    assert str(raised.value) == message


@pytest.mark.chinese_ui
def test_cli_speaks_the_language_asked_for_or_the_environments(indexed, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "en_US:en")
    with pytest.raises(CommandError, match=r'^年份/year must be a four-digit year, not "去年"\.$'):
        call_command("search", "年份:去年")
    out = StringIO()
    call_command("search", "一网通办", "--kind", "task", "--language", "zh-hans", stdout=out)
    printed = out.getvalue()
    assert "[重点任务 89]" in printed and "条结果（第 1 页，共" in printed


def test_coded_facet_values_show_their_labels(client):
    item = IndexItem(
        kind="document",
        object_id=1,
        document_id=1,
        title="数据共享实施意见",
        body="推进政务数据共享。",
        validity="current",
    )
    services.replace_document_entries(1, [item])
    html = client.get("/search/", {"q": "数据共享"}).content.decode()
    assert "In force</a>" in html and "current</a>" not in html
