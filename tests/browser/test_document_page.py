"""The document page read in a real browser as the official text (issue 14): headings are
heading elements and no Markdown mark shows, the print view has no site navigation, the
original downloads byte for byte, the 政策解读 and its document link both ways; axe-core
finds no serious violation on the page or its print view."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from shuzheng.documents.models import Document
from shuzheng.documents.services import ingest_file
from shuzheng.orgs.services import load_sample_registry
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(settings.BASE_DIR) / "data" / "samples" / "ningxia-gazette-2023-10.txt"
INTERPRETATION = Path(settings.BASE_DIR) / "tests" / "documents" / "fixtures" / "interpretation.txt"


@pytest.fixture
def library(live_server):
    load_sample_registry()
    ingest_file(SAMPLE.read_bytes(), SAMPLE.name, actor=None)
    ingest_file(INTERPRETATION.read_bytes(), INTERPRETATION.name, actor=None)
    return {
        "opinion": Document.objects.get(doc_number="宁政发〔2023〕17号"),
        "interpretation": Document.objects.get(title__contains="政策解读"),
    }


@pytest.fixture
def english(page, live_server):
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    return page


def test_headings_are_headings_and_no_markdown_shows(english, library):
    page = english
    page.goto(library["opinion"].get_absolute_url())
    expect(page.get_by_role("heading", level=1, name=library["opinion"].title)).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="一、总体要求")).to_have_count(1)
    expect(page.get_by_role("heading", level=3, name="（一）指导思想。")).to_have_count(1)
    text = page.locator(".official").inner_text()
    assert "#" not in text and "- 附件" not in text
    expect(page.locator(".doc-number")).to_have_text("宁政发〔2023〕17号")
    expect(page.locator(".doc-date")).to_have_text("2023年5月16日")
    expect(page.locator(".doc-table table").first).to_be_visible()
    assert axe_violations(page) == []


def test_the_print_view_has_no_navigation(english, library):
    page = english
    page.goto(library["opinion"].get_absolute_url())
    page.get_by_role("link", name="Print view").click()
    expect(page).to_have_url(re.compile(r"/print/$"))
    expect(page.get_by_role("heading", level=1, name=library["opinion"].title)).to_be_visible()
    assert page.locator("nav, .site-header, .site-footer").count() == 0
    assert axe_violations(page) == []
    page.emulate_media(media="print")
    expect(page.locator(".print-tools")).to_be_hidden()
    # The document page printed shows the text alone too.
    page.goto(library["opinion"].get_absolute_url())
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("nav.toc")).to_be_hidden()
    expect(page.locator(".doc-title")).to_be_visible()


def test_the_original_file_downloads_byte_for_byte(english, library):
    page = english
    page.goto(library["opinion"].get_absolute_url())
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the original file").click()
    download = info.value
    assert download.suggested_filename == SAMPLE.name
    assert Path(download.path()).read_bytes() == SAMPLE.read_bytes()


def test_the_interpretation_and_its_document_link_both_ways(english, library):
    page = english
    opinion, interpretation = library["opinion"], library["interpretation"]
    page.goto(opinion.get_absolute_url())
    page.locator(".interpretation-link a").click()
    expect(page).to_have_url(re.compile(rf"{interpretation.get_absolute_url()}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(interpretation.title)
    page.locator('[data-relation="interprets"]').click()
    expect(page).to_have_url(re.compile(rf"{opinion.get_absolute_url()}$"))
    expect(page.locator('[data-relation="interpretation"]')).to_have_attribute(
        "href", interpretation.get_absolute_url()
    )
