"""The search page as a newcomer meets it (issue 14), in a real browser at 1366×768: the
skip link first, the first result in view, facets folded with "more", a task hit landing on
its highlighted row with the words marked; axe-core stays clean."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from shuzheng.documents.services import ingest_file
from shuzheng.orgs.services import load_sample_registry
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(settings.BASE_DIR) / "data" / "samples" / "ningxia-gazette-2023-10.txt"


@pytest.fixture
def results(page, live_server):
    load_sample_registry()
    ingest_file(SAMPLE.read_bytes(), SAMPLE.name, actor=None)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/search/?q=数据共享")
    return page


def test_the_skip_link_is_first_and_leads_to_the_results(results):
    page = results
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#search-hits"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "search-hits"
    # The next Tab reaches the first result's link, not a facet.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.hit') !== null")


def test_the_first_result_is_in_view_at_1366_by_768(results):
    top = results.locator(".hit").first.bounding_box()["y"]
    assert top < 768


def test_more_unfolds_the_folded_facet_values(results):
    page = results
    more = page.locator("details.facet-more").first
    hidden = more.locator("a").first
    expect(hidden).to_be_hidden()
    more.locator("summary").click()
    expect(hidden).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]


def test_a_task_hit_lands_on_its_highlighted_row(results):
    page = results
    page.goto("/search/?q=一网通办&kind=task")
    page.locator(".hit-task .hit-title a").first.click()
    page.wait_for_load_state()
    anchor = page.evaluate("location.hash").lstrip("#")
    row = page.locator(f"tr[id='{anchor}']")
    assert row.locator("mark").count() >= 1
    assert page.evaluate("document.querySelector(':target').id") == anchor
    background = row.evaluate("element => getComputedStyle(element).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")


def test_the_advanced_forms_topic_select_filters_by_the_topic(results):
    """主题分类 (issue 14, point 3): chosen in the collapsed form, kept by the facet."""
    page = results
    page.goto("/search/?q=机制")
    form = page.locator("details.advanced-search")
    expect(page.locator("#search-topic")).to_be_hidden()
    form.locator("summary").click()
    page.locator("#search-topic").select_option("09")
    page.locator("form.search-form button[type='submit']").click()
    page.wait_for_load_state()
    assert "topic=09" in page.url
    expect(page.locator("details.advanced-search")).to_have_attribute("open", "")
    assert page.locator("#search-topic").input_value() == "09"
    titles = page.locator(".hit .hit-title").all_inner_texts()
    assert titles and all("数字政府" not in title for title in titles)
    facet = page.locator("nav.facets a[aria-current]").all_inner_texts()
    assert any("environment" in text or "环境保护" in text for text in facet)
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]
