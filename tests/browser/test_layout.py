"""The global layout at the sizes officials use (issue 14, "Layout"): one header row at
1366×768, table headers on one line, checkboxes beside their labels, the footer at the bottom
of short pages. Screenshot-free: each assertion measures elements' boxes."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.audit.services import record_change
from shuzheng.documents.services import ingest_file
from shuzheng.orgs.services import load_sample_registry
from shuzheng.tasks.models import KeyTask

pytestmark = [
    pytest.mark.browser,
    pytest.mark.presentation,
    pytest.mark.django_db(transaction=True),
]

SAMPLE = Path(settings.BASE_DIR) / "data" / "samples" / "ningxia-gazette-2023-10.txt"
PASSWORD = "Shuzheng-2023!"
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def library():
    load_sample_registry()
    ingest_file(SAMPLE.read_bytes(), SAMPLE.name, actor=None)


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def administrator() -> User:
    return User.objects.create_user(
        "admin_wu", password=PASSWORD, role=Role.ADMINISTRATOR, first_name="吴建国"
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_header_takes_one_row_at_1366_for_the_longest_menu(
    page, library, live_server, language
):
    administrator()
    page.set_viewport_size(LAPTOP)
    sign_in(page, "admin_wu")
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    for url in ("/", "/tasks/", "/audit/", "/catalog/", "/hotline/"):
        page.goto(url)
        assert page.locator("html").get_attribute("lang").lower().startswith(language[:2])
        height = page.locator(".site-header").evaluate("el => el.getBoundingClientRect().height")
        assert height < 80, (language, url, height)


def one_line_heights(page) -> list[tuple[str, float, float]]:
    """Each column header's text and height, with the height of one line of its text."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('thead th')).map(th => {
            const style = getComputedStyle(th);
            const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
            return [th.innerText.trim(), th.getBoundingClientRect().height - padding,
                    parseFloat(style.lineHeight)];
        })"""
    )


def test_column_headers_stay_on_one_line(page, library):
    admin = administrator()
    record_change(
        actor=admin, action="orgs.unit.create", object_type="orgs.unit", remote_addr="10.0.0.1"
    )
    page.set_viewport_size(LAPTOP)
    sign_in(page, "admin_wu")
    for url in ("/tasks/", "/documents/", "/audit/"):
        page.goto(url)
        headers = one_line_heights(page)
        assert headers, url
        tall = [(text, height) for text, height, line in headers if height > line * 1.5]
        assert tall == [], (url, tall)


def test_checkboxes_stand_beside_their_labels_in_the_decomposition_form(page, library):
    User.objects.create_user("dc_li", password=PASSWORD, role=Role.SUPERVISOR)
    task = KeyTask.objects.filter(form="table", parent=None).order_by("number").first()
    page.set_viewport_size(LAPTOP)
    sign_in(page, "dc_li")
    page.goto(f"/tasks/{task.pk}/")
    boxes = page.locator("form[action$='/decompose/'] label:has(input[type=checkbox])")
    assert boxes.count() > 0
    for index in range(boxes.count()):
        gap = boxes.nth(index).evaluate(
            """label => {
                // From the input's left edge (its box may be far wider than the square it
                // draws) to the start of the label's words.
                const input = label.querySelector('input');
                const words = Array.from(label.childNodes).find(
                    node => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
                const range = document.createRange();
                range.selectNodeContents(words);
                const text = Array.from(range.getClientRects()).find(r => r.width > 0);
                return text.left - input.getBoundingClientRect().left;
            }"""
        )
        assert 0 <= gap < 40, gap


def test_the_footer_sits_at_the_bottom_of_a_short_page(page):
    page.set_viewport_size(LAPTOP)
    page.goto("/accounts/login/")
    bottom, height = page.evaluate(
        "[document.querySelector('.site-footer').getBoundingClientRect().bottom, innerHeight]"
    )
    assert abs(bottom - height) <= 1, (bottom, height)


def test_the_more_menu_opens_the_other_pages_by_the_keyboard(page, library):
    administrator()
    page.set_viewport_size(LAPTOP)
    sign_in(page, "admin_wu")
    page.goto("/")
    more = page.locator(".nav-more summary")
    menu = page.locator(".nav-more")
    expect(menu.get_by_role("link", name="审计日志")).to_be_hidden()
    more.focus()
    page.keyboard.press("Enter")
    for name in (
        "行政区划与单位",
        "数据目录",
        "电子证照",
        "电子印章",
        "验证印章与证照",
        "审计日志",
    ):
        expect(menu.get_by_role("link", name=name), name).to_be_visible()
    menu.get_by_role("link", name="审计日志").click()
    page.wait_for_url("**/audit/")
    assert "current" in page.locator(".nav-more summary").get_attribute("class")
