"""The policy library as people meet it in a real browser (issue 4, items 4 and 5).

A citizen searches the sample gazette for 数据共享 with the keyboard, narrows the results to
sections, opens a section hit and lands on the highlighted paragraph, subscribes to the
search; a new notice (宁财发〔2023〕88号) is ingested and arrives in the inbox with its reason
and, once, by mail. Accessibility: axe-core on the search, document and subscriptions pages,
keyboard-only searching, and the larger-text mode.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.documents.services import ingest_file
from shuzheng.notifications.services import deliver_due
from shuzheng.orgs.services import load_sample_registry
from shuzheng.subscriptions.models import Subscription
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(settings.BASE_DIR) / "data" / "samples" / "ningxia-gazette-2023-10.txt"
NOTICE = (
    Path(settings.BASE_DIR) / "tests" / "subscriptions" / "fixtures" / "notice-data-sharing.txt"
)
PASSWORD = "Shuzheng-2023!"


@pytest.fixture
def library(live_server):
    load_sample_registry()
    ingest_file(SAMPLE.read_bytes(), SAMPLE.name, actor=None)
    return User.objects.create_user(
        "li_citizen", password=PASSWORD, role=Role.CITIZEN, email="li@example.cn"
    )


@pytest.fixture
def english(page, live_server):
    """The interface in English, so the test reads the msgids whatever the translations say."""
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    return page


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"], v["nodes"][0]["html"]) for v in violations]


def log_in(page):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("li_citizen")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def search_with_the_keyboard(page, text):
    """Skip link → main → the search field, type, Enter: no mouse."""
    page.goto("/search/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator("#search-q")).to_be_focused()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    expect(page.locator(".result-count")).to_contain_text("results")


def test_search_open_a_section_subscribe_and_receive_a_new_notice(english, library, smtp_server):
    page = english
    log_in(page)
    search_with_the_keyboard(page, "数据共享")
    assert_accessible(page)

    page.locator("nav.facets").get_by_role("link", name="Section", exact=True).click()
    expect(page).to_have_url(re.compile(r"kind=section"))
    expect(page.locator("ol.hits li.hit-task")).to_have_count(0)
    hit = page.locator("ol.hits li.hit-section h2 a").first
    href = hit.get_attribute("href")
    assert "?hl=" in href and "#s-" in href
    anchor = href.split("#", 1)[1]

    hit.click()
    expect(page).to_have_url(re.compile(r"\?hl="))
    paragraph = page.locator(f"[id='{anchor}']")
    expect(paragraph.locator("mark").first).to_be_visible()
    expect(paragraph.locator("mark").first).to_be_in_viewport()
    assert_accessible(page)

    page.go_back()
    expect(page).to_have_url(re.compile(r"kind=section"))
    page.get_by_role("button", name="Subscribe to this search").click()
    expect(page).to_have_url(re.compile(r"/subscriptions/$"))
    expect(page.locator("table.subscriptions")).to_contain_text("“数据共享” (层级:section)")
    assert Subscription.objects.get().params == {"q": "数据共享", "kind": "section"}
    assert_accessible(page)

    # Reasons are written in the language active at ingest time: English, as the page.
    with translation.override("en"):
        report = ingest_file(NOTICE.read_bytes(), NOTICE.name, actor=None)
    assert report.status == "stored"
    page.goto("/inbox/")
    item = page.locator("main").get_by_text("深化涉企数据共享", exact=False).first
    expect(item).to_be_visible()
    expect(page.locator("main")).to_contain_text(
        "matches your saved search “数据共享” (层级:section)"
    )

    # One notice for the new document, however many of its sections match, listing them.
    assert page.locator("main").get_by_text("New document:").count() == 1
    assert deliver_due().sent == 1
    (mail,) = smtp_server.received
    assert mail.recipients == ["li@example.cn"]
    assert "惠企政策数据共享" in mail.subject
    assert "深化涉企数据共享" in mail.body


def test_larger_text_mode_is_a_pressed_toggle_and_is_remembered(english, library):
    page = english
    page.goto("/search/?q=数据共享")
    toggle = page.get_by_role("button", name="Larger text")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    before = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    toggle.click()
    expect(page.locator("html")).to_have_class("large-text")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    after = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert float(after.removesuffix("px")) > float(before.removesuffix("px"))
    page.reload()
    expect(page.locator("html")).to_have_class("large-text")
    expect(page.get_by_role("button", name="Larger text")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="Larger text").press("Enter")
    expect(page.locator("html")).not_to_have_class("large-text")
    assert_accessible(page)


def test_larger_text_mode_works_without_javascript(browser, live_server, library):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/documents/")
        page.locator(".text-size-toggle").click()
        expect(page).to_have_url(re.compile(r"/documents/$"))
        expect(page.locator("html")).to_have_class("large-text")
        expect(page.locator(".text-size-toggle")).to_have_attribute("aria-pressed", "true")
    finally:
        context.close()
