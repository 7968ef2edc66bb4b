"""Change on first login (issue 9), as a person meets it: an administrator set the password,
so the first page after the login is the password change, and nothing else opens before it."""

import pytest
from playwright.sync_api import expect

from shuzheng.accounts import services
from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
GIVEN = "Given-by-admin-2031"
CHOSEN = "Ningxia-spring-2032!"


def test_a_password_set_by_an_administrator_is_changed_at_the_first_login(page):
    admin = User.objects.create_user("root", password="Root-pass-2031!", role=Role.ADMINISTRATOR)
    user = User.objects.create_user("wang", role=Role.CITIZEN)
    services.change_password(user, GIVEN, actor=admin)

    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("wang")
    page.get_by_label("密码").fill(GIVEN)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/password/")
    expect(page.get_by_text("请先设置一个您自己的新密码，再继续使用。")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]

    page.goto("/accounts/me/")
    page.wait_for_url("**/accounts/password/")

    page.get_by_label("旧密码").fill(GIVEN)
    page.get_by_label("新密码", exact=True).fill("wang12345")
    page.get_by_label("新密码确认").fill("wang12345")
    page.get_by_role("button", name="修改密码").click()
    expect(page.get_by_text("密码由用户名变化而来，请另选一个。")).to_be_visible()

    page.get_by_label("旧密码").fill(GIVEN)
    page.get_by_label("新密码", exact=True).fill(CHOSEN)
    page.get_by_label("新密码确认").fill(CHOSEN)
    page.get_by_role("button", name="修改密码").click()
    page.wait_for_url("**/accounts/password/done/")

    page.goto("/accounts/me/")
    assert page.url.endswith("/accounts/me/")
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(CHOSEN)
