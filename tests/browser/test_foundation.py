"""The foundation as a person meets it: home page, login, language switch, accessibility."""

import pytest
from playwright.sync_api import expect

from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_has_no_serious_accessibility_violations(page):
    page.goto("/")
    expect(page.locator("h1").first).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]


def test_keyboard_user_can_skip_to_main_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_log_in_switch_to_english_and_log_out(page):
    User.objects.create_user(username="zhang", password="Shuzheng-2023!", role=Role.SUPERVISOR)
    page.goto("/")
    page.get_by_role("link", name="登录").click()
    page.get_by_label("用户名").fill("zhang")
    page.get_by_label("密码").fill("Shuzheng-2023!")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()

    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    page.get_by_role("button", name="中文").click()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
