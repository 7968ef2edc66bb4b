"""The 12345 hotline's loop in a real browser (issue 15, "Done when"): a citizen submits →
routed to the suggested unit → the unit transfers it back (退单) → re-routed → the unit
replies → the callback says 不满意 → reopened → replied again → 满意; the deadlines are
counted across the National Day holiday (the clock frozen on 30 September 2026)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from shuzheng import clock
from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.hotline.models import ServiceRequest
from shuzheng.hotline.services import load_sample_catalog
from shuzheng.notifications.models import Notification
from shuzheng.orgs.models import Unit
from shuzheng.orgs.services import load_sample_registry
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Hotline-flow-2026!"
XINGQING = "xingqing-human-resources-social-security"
YINCHUAN = "yinchuan-human-resources-social-security"


@pytest.fixture
def hotline_world():
    load_sample_registry()
    load_sample_catalog()
    User.objects.create_user("citizen_ma", password=PASSWORD, role=Role.CITIZEN)
    for username, code in (("xq_staff", XINGQING), ("yc_staff", YINCHUAN)):
        User.objects.create_user(
            username, password=PASSWORD, role=Role.UNIT_STAFF, unit=Unit.objects.get(code=code)
        )
    # 10:00 in Ningxia on the last working day before the National Day week.
    with clock.frozen_at(
        dt.datetime(2026, 9, 30, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    ):
        yield


def log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="退出登录").click()


def reply_as(page, username, number, text, *, accept):
    log_in(page, username)
    page.goto("/hotline/mine/")
    page.get_by_role("link", name=number).click()
    if accept:
        page.get_by_role("button", name="签收").click()
        expect(page.get_by_text("已签收，诉求由本单位办理。")).to_be_visible()
    page.get_by_label("答复诉求人").fill(text)
    page.get_by_role("button", name="提交答复").click()
    expect(page.get_by_text("已答复，将请诉求人评价是否满意。")).to_be_visible()
    log_out(page)


def rate_as_citizen(page, verdict, comment=""):
    """The citizen follows the newest survey link in the inbox and gives ``verdict``."""
    log_in(page, "citizen_ma")
    notice = Notification.objects.filter(kind="hotline_survey").order_by("-pk").first()
    page.goto("/inbox/")
    expect(page.get_by_text(notice.link.split("/")[3]).first).to_be_visible()
    page.goto(notice.link)
    page.get_by_label(verdict, exact=True).check()
    if comment:
        page.get_by_label("评价意见").fill(comment)
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_text("谢谢，您的评价已记录。")).to_be_visible()
    log_out(page)


def test_submit_transfer_back_reply_dissatisfied_reopen_reply_satisfied(page, hotline_world):
    log_in(page, "citizen_ma")
    page.goto("/hotline/")
    page.get_by_label("分类").select_option(label="其他/综合")
    page.get_by_label("诉求内容").fill("公司拖欠我们三个月工资，老板一直不露面")
    expect(page.get_by_text("已输入19字，最多4000字")).to_be_visible()
    page.get_by_label("地址").fill("银川市兴庆区")
    assert axe_violations(page) == []
    page.get_by_role("button", name="提交诉求").click()
    expect(page.get_by_text("您的诉求已受理")).to_be_visible()
    request = ServiceRequest.objects.get()
    number = request.number
    # Routed to the suggested unit: the general service classified by the learned suggestion.
    assert request.category.code == "wage-arrears"
    assert request.routing["classified_by"] == "suggestion"
    expect(page.get_by_text("兴庆区人力资源和社会保障局")).to_be_visible()
    # One working day to respond: 1–7 October are the National Day holiday.
    expect(page.get_by_text("2026-10-08 23:59")).to_be_visible()
    assert axe_violations(page) == []
    log_out(page)

    log_in(page, "xq_staff")
    page.goto("/hotline/mine/")
    page.get_by_role("link", name=number).click()
    page.get_by_label("不属于本单位职责的理由").fill("用人单位注册地在金凤区，请市级统筹")
    page.get_by_role("button", name="退单").click()
    expect(page.get_by_text("已退单，诉求已重新派单。")).to_be_visible()
    log_out(page)
    request.refresh_from_db()
    assert request.state == "dispatched"

    reply_as(page, "yc_staff", number, "已约谈企业负责人，责令十日内支付", accept=True)
    rate_as_citizen(page, "不满意", "至今没有收到工资")
    request.refresh_from_db()
    assert request.state == "reopened" and request.reopen_count == 1

    page.goto(f"/hotline/track/{number}/")
    expect(page.get_by_text("重新办理")).to_be_visible()
    expect(page.get_by_text("银川市人力资源和社会保障局").first).to_be_visible()

    reply_as(page, "yc_staff", number, "工资已足额发放到位", accept=False)
    rate_as_citizen(page, "满意")
    request.refresh_from_db()
    assert request.state == "visited"
    page.goto(f"/hotline/track/{number}/")
    expect(page.locator("dd", has_text="已回访")).to_be_visible()
    expect(page.get_by_text("回访：不满意")).to_be_visible()
    assert axe_violations(page) == []
