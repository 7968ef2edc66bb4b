"""The ledger as supervisors work it, in a real browser (issue 14, point 6): bulk assign,
a saved filter, the CSV export and the timeline on the ledger; a comment with an @mention
that reaches the person; a 延期申请 the supervisor approves, which moves the deadline."""

import datetime as dt
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from shuzheng.notifications.models import Notification
from shuzheng.tasks.models import Assignment, KeyTask, Milestone, SavedFilter
from tests.browser.conftest import axe_violations
from tests.browser.test_ledger import ledger_world, log_in, log_out  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisors_work_the_ledger_and_a_unit_gets_more_time(page, ledger_world):  # noqa: F811
    task = ledger_world
    log_in(page, "dc_li")
    page.goto("/tasks/?q=数据分钟级共享")
    page.get_by_label(f"选择任务{task.number}").check()
    page.get_by_label("单位", exact=True).last.fill("银川市人民政府")
    page.get_by_role("button", name="交办所选任务").click()
    expect(page.get_by_text("已将1项任务交办给银川市人民政府。")).to_be_visible()
    assert Assignment.objects.filter(task=task, unit__name="银川市人民政府").exists()

    page.get_by_label("筛选条件名称").fill("数据共享任务")
    page.get_by_role("button", name="保存当前筛选").click()
    expect(page.get_by_role("link", name="数据共享任务")).to_be_visible()
    assert unquote(SavedFilter.objects.get().query) == "q=数据分钟级共享"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="导出CSV").click()
    content = download_info.value.path().read_bytes()
    assert content.startswith(b"\xef\xbb\xbf") and "分钟级共享".encode() in content

    page.get_by_role("link", name="分单位进度图").click()
    expect(page.get_by_role("heading", name="分单位进度图")).to_be_visible()
    expect(page.locator("svg.bars rect.bar")).to_have_count(1)
    assert axe_violations(page) == []

    page.goto(f"/tasks/{task.pk}/")
    page.get_by_label("留言").fill("@yc_wang 请本月底前补充佐证材料。")
    page.get_by_role("button", name="发布留言").click()
    expect(page.get_by_text("@yc_wang 请本月底前补充佐证材料。")).to_be_visible()
    notice = Notification.objects.get(recipient__username="yc_wang", kind="task_mentioned")
    log_out(page)

    log_in(page, "yc_wang")
    page.goto("/inbox/")
    expect(page.get_by_text("在任务中提到了您").first).to_be_visible()
    assert notice.link == task.get_absolute_url()
    page.goto(f"/tasks/{task.pk}/")
    page.get_by_role("button", name="承办任务").click()
    page.get_by_label("申请延至").fill("2025-06-30")
    page.get_by_label("原因").fill("配套资金尚未到位")
    page.get_by_role("button", name="提交延期申请").click()
    expect(page.get_by_text("延期申请已提交，等待督查人员审批。")).to_be_visible()
    assert Milestone.objects.get(task=task).due_on is None
    log_out(page)

    log_in(page, "dc_li")
    page.goto(f"/tasks/{task.pk}/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="批准", exact=True).click()
    expect(page.get_by_text("已批准延期，节点完成时限已调整。")).to_be_visible()
    assert Milestone.objects.get(task=task).due_on == dt.date(2025, 6, 30)
    assert KeyTask.objects.get(pk=task.pk).next_due_on == dt.date(2025, 6, 30)
