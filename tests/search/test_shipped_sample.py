"""The search page on the shipped sample gazette, ingested as ``make run`` does (issue 14):
what a newcomer sees first."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from shuzheng.accounts.choices import Role
from shuzheng.documents.services import ingest_file
from shuzheng.orgs.services import get_resolver, load_sample_registry
from shuzheng.tasks.models import KeyTask
from tests.tasks.conftest import make_user

SAMPLE = Path(settings.BASE_DIR) / "data" / "samples" / "ningxia-gazette-2023-10.txt"


@pytest.fixture
def shipped(db):
    load_sample_registry()
    ingest_file(SAMPLE.read_bytes(), SAMPLE.name, actor=None)


def test_one_unit_is_one_facet_value(shipped, run_search):
    facets = run_search(kind="task", per_page=1).facets
    units = [value.value for value in facets["unit"]]
    assert "宁夏回族自治区财政厅" in units and "自治区财政厅" not in units
    assert "宁夏回族自治区人民政府办公厅" in units and "自治区政府办公厅" not in units
    # Every value is its unit's canonical name, so two values are two units.
    resolver = get_resolver()
    assert [resolver.canonical_name(unit) for unit in units] == units
    assert len(units) == len(set(units))
    issuers = [value.value for value in facets["issuer"]]
    assert [resolver.canonical_name(issuer) for issuer in issuers] == issuers


def test_the_example_queries_find_something(shipped, run_search, client):
    from shuzheng.search.views import EXAMPLE_QUERY, HOME_EXAMPLE_QUERY

    assert EXAMPLE_QUERY in client.get("/search/").content.decode()
    assert HOME_EXAMPLE_QUERY in client.get("/").content.decode()
    for text in (EXAMPLE_QUERY, HOME_EXAMPLE_QUERY):
        assert run_search(text).total > 0, text


def test_task_hits_say_what_they_are(shipped, client):
    html = client.get("/search/", {"q": "数据", "kind": "task", "per_page": "20"}).content.decode()
    titles = re.findall(r'<h2 class="hit-title"><a [^>]*>([^<]+)</a></h2>', html)
    assert len(titles) == 20
    # Each title names the document, the task number and its first words: none repeats.
    assert len(set(titles)) == len(titles)
    assert all(title.startswith("加强数字政府建设的实施意见 · Key task ") for title in titles)


def test_the_skip_link_comes_first_and_leads_to_the_results(shipped, client):
    html = client.get("/search/", {"q": "数据"}).content.decode()
    body = html[html.index("<body") :]
    first_link = re.search(r"<a [^>]*>", body)[0]
    assert 'class="skip-link"' in first_link and 'href="#search-hits"' in first_link
    assert 'id="search-hits"' in html


def test_facets_show_five_values_and_fold_the_rest(shipped, client):
    html = client.get("/search/", {"q": "数据"}).content.decode()
    start = html.index('<nav class="facets"')
    facets = html[start : html.index("</nav>", start)]
    for block in facets.split('<h2 class="facet-name">')[1:]:
        shown = block.split('<details class="facet-more"')[0]
        assert shown.count("<li>") <= 5
    assert '<details class="facet-more">' in facets
    # A chosen value folded away stays in sight: its "more" opens.
    unit = "宁夏回族自治区档案局"
    chosen = client.get("/search/", {"q": "数据", "unit": unit}).content.decode()
    assert f"✓ {unit}" in chosen and '<details class="facet-more" open>' in chosen


def test_a_task_hit_opens_the_document_at_its_row_with_the_words_marked(shipped, client):
    results = client.get("/api/v1/search", {"q": "一网通办", "kind": "task"}).json()
    hit = results["hits"][0]
    page = client.get(hit["url"].split("#")[0], {"hl": "一网通办"}).content.decode()
    anchor = hit["url"].split("#")[1]
    row = page[page.index(f'<tr id="{anchor}">') :]
    row = row[: row.index("</tr>")]
    assert "<mark>一网通办</mark>" in row


def test_the_task_page_is_titled_like_its_hit(shipped, client):
    client.force_login(make_user("searchui_supervisor", Role.SUPERVISOR))
    task = KeyTask.objects.get(document__doc_number="宁政发〔2023〕17号", number=2)
    html = client.get(f"/tasks/{task.pk}/").content.decode()
    title = "加强数字政府建设的实施意见 · Key task 2: 围绕“六新六特六优”"
    assert re.search(r"<h1>([^<]*)</h1>", html)[1].startswith(title)
    assert re.search(r"<title>([^<]*)</title>", html)[1].startswith(title)
