"""People managed in the product, as a unit head meets it (issue 14, point 5): the head
creates a staff account, the staff member signs in with the generated password and must
change it first, the head deactivates the account, and signing in is refused."""

import pytest
from playwright.sync_api import expect

from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.orgs.models import Region, Unit
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HEAD_PASSWORD = "Head-of-unit-2031!"
CHOSEN = "Ningxia-autumn-2032!"


def sign_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def sign_out(page) -> None:
    page.get_by_role("button", name="退出登录").click()


def test_a_unit_head_creates_staff_who_change_the_password_and_can_be_deactivated(page):
    region = Region.objects.create(code="640000", name="宁夏回族自治区", level="province")
    unit = Unit.objects.create(code="cz", name="自治区财政厅", kind="department", region=region)
    User.objects.create_user(
        "cz_zhang", password=HEAD_PASSWORD, role=Role.UNIT_HEAD, unit=unit, first_name="张敏"
    )

    sign_in(page, "cz_zhang", HEAD_PASSWORD)
    page.get_by_text("更多", exact=True).click()
    page.get_by_role("link", name="人员管理").click()
    page.get_by_role("link", name="新建账号").click()
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]
    page.get_by_label("用户名").fill("cz_li")
    page.get_by_label("姓名", exact=True).fill("李华")
    page.get_by_label("角色").select_option("unit_staff")
    page.get_by_role("button", name="创建账号").click()
    password = page.locator("#generated-password").inner_text().strip()
    assert len(password) >= 16
    sign_out(page)

    sign_in(page, "cz_li", password)
    page.wait_for_url("**/accounts/password/")
    page.get_by_label("旧密码").fill(password)
    page.get_by_label("新密码", exact=True).fill(CHOSEN)
    page.get_by_label("新密码确认").fill(CHOSEN)
    page.get_by_role("button", name="修改密码").click()
    page.wait_for_url("**/accounts/password/done/")
    sign_out(page)

    sign_in(page, "cz_zhang", HEAD_PASSWORD)
    page.goto("/orgs/people/")
    page.get_by_role("link", name="李华").click()
    page.get_by_role("button", name="停用").click()
    expect(page.get_by_text("cz_li 已停用，登录将被拒绝。")).to_be_visible()
    sign_out(page)

    sign_in(page, "cz_li", CHOSEN)
    expect(page.locator(".error, .errorlist").first).to_be_visible()
    assert page.url.endswith("/accounts/login/")
    staff = User.objects.get(username="cz_li")
    assert not staff.is_active and staff.unit == unit and staff.role == Role.UNIT_STAFF


def test_the_unit_box_suggests_names_as_one_types(page):
    region = Region.objects.create(code="640000", name="宁夏回族自治区", level="province")
    Unit.objects.create(code="cz", name="自治区财政厅", kind="department", region=region)
    Unit.objects.create(code="sl", name="自治区水利厅", kind="department", region=region)
    User.objects.create_user("root_wu", password=HEAD_PASSWORD, role=Role.ADMINISTRATOR)
    sign_in(page, "root_wu", HEAD_PASSWORD)
    page.goto("/orgs/people/new/")
    page.get_by_label("单位").press_sequentially("水利")
    options = page.locator("#id_unit-suggestions option")
    options.first.wait_for(state="attached")
    assert options.evaluate_all("els => els.map(e => e.value)") == ["自治区水利厅"]
