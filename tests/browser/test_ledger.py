"""The supervision cycle as people meet it in a real browser (issue 5, item 6).

Task 37 of the sample (按需建设政务数据实时交换系统 …, 2024年) is owned by 自治区各部门（单位）
及各地级市; the supervisor assigns it to 银川市人民政府, one of the 各地级市. Its staff accept
and report 50 % with a file; time moves past 2024-12-31, the task turns red and a reminder
mail arrives; the unit claims completion and the supervisor confirms it (办结); the unit's 2024
score changes on its dashboard score card and in the Excel export.
"""

import datetime as dt
import re
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook
from playwright.sync_api import expect

from shuzheng import clock
from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.dashboard.samples import sample_rules_data
from shuzheng.dashboard.services import save_rules
from shuzheng.documents.services import ingest_file
from shuzheng.notifications.services import deliver_due
from shuzheng.orgs.models import Unit
from shuzheng.orgs.services import load_sample_registry
from shuzheng.tasks.models import KeyTask, ProgressReport
from shuzheng.tasks.services.lights import refresh_stale_lights
from shuzheng.tasks.services.reminders import send_due_reminders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(settings.BASE_DIR) / "data" / "samples" / "ningxia-gazette-2023-10.txt"
PASSWORD = "Shuzheng-2023!"
PDF = "%PDF-1.4\n% 进展佐证\n".encode()


@pytest.fixture
def ledger_world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_sample_registry()
    ingest_file(SAMPLE.read_bytes(), SAMPLE.name, actor=None)
    yinchuan = Unit.objects.get(name="银川市人民政府")
    supervisor = User.objects.create_user("dc_li", password=PASSWORD, role=Role.SUPERVISOR)
    rules = sample_rules_data()
    rules["year"] = 2024
    save_rules(rules, actor=supervisor)
    User.objects.create_user(
        "yc_wang",
        password=PASSWORD,
        role=Role.UNIT_STAFF,
        unit=yinchuan,
        email="wang@yinchuan.example",
    )
    task = KeyTask.objects.get(document__doc_number="宁政发〔2023〕17号", form="table", number=37)
    clock.set_now(dt.date(2024, 3, 1))
    yield task
    clock.set_now(None)


def log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="退出登录").click()


def test_assign_report_turn_red_remind_claim_and_close(page, ledger_world, smtp_server):
    """In the Chinese UI the browser asks for (the reminder mail is composed in the test's
    English, see tests/conftest.py)."""
    task = ledger_world
    log_in(page, "dc_li")
    page.goto(f"/tasks/{task.pk}/")
    page.locator("#assign-unit").select_option(label="银川市人民政府")
    page.get_by_role("button", name="交办", exact=True).click()
    expect(page.get_by_text("任务已交办给银川市人民政府。")).to_be_visible()
    log_out(page)

    log_in(page, "yc_wang")
    page.goto("/tasks/mine/")
    page.get_by_role("link", name="37", exact=True).click()
    page.get_by_role("button", name="承办任务").click()
    page.locator("#report-text").fill("完成数据交换系统选型和部署方案")
    page.locator("#report-percent").fill("50")
    page.locator("#report-evidence").set_input_files(
        files=[{"name": "进展.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="提交反馈").click()
    expect(page.get_by_text("进展报告已提交。")).to_be_visible()
    expect(page.get_by_role("link", name="进展.pdf")).to_be_visible()
    report = ProgressReport.objects.get(task=task)
    assert report.percent == 50 and report.evidence.get().size == len(PDF)

    clock.set_now(dt.date(2025, 1, 2))
    refresh_stale_lights(dt.date(2025, 1, 2))  # the worker's refresh of the new day
    page.goto("/tasks/")
    page.locator("#id_light").select_option("red")
    page.locator("#id_unit").select_option(label="银川市人民政府")
    page.locator("#id_q").fill("分钟级")
    page.locator("form.ledger-filter button[type=submit]").click()
    row = page.locator(f"#ledger-task-{task.pk}")
    expect(row.locator(".light")).to_have_text("● 红灯")
    expect(row).to_contain_text("2024年：应于 2024-12-31 完成，已逾期 2 天。")
    expect(page.locator("#ledger-results tbody tr")).to_have_count(1)

    send_due_reminders(clock.today())
    deliver_due()
    mails = [mail for mail in smtp_server.received if "wang@yinchuan.example" in mail.recipients]
    assert any("Overdue" in mail.subject and "2024-12-31" in mail.subject for mail in mails)

    page.goto(f"/tasks/{task.pk}/")
    page.locator("#claim-text").fill("数据交换系统已上线运行")
    page.get_by_role("button", name="申请办结").click()
    expect(page.get_by_text("已申请办结，待督查人员确认。")).to_be_visible()
    log_out(page)

    log_in(page, "dc_li")
    score_before = score_on_card(page)
    page.goto(f"/tasks/{task.pk}/")
    page.locator("#close-rating").fill("4")
    page.get_by_role("button", name="确认办结").click()
    expect(page.get_by_text("任务已办结。")).to_be_visible()
    expect(page.locator("#task-light").get_by_text("灰灯")).to_be_visible()
    assert KeyTask.objects.get(pk=task.pk).closure == "confirmed"

    # Achieved (late) instead of overdue: the overdue deduction goes, the score changes.
    score_after = score_on_card(page)
    assert score_after != score_before
    page.goto("/dashboard/assessment/2024/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载 Excel").click()
    sheet = load_workbook(BytesIO(download_info.value.path().read_bytes()))["排名"]
    [row] = [
        row for row in sheet.iter_rows(min_row=3, values_only=True) if row[1] == "银川市人民政府"
    ]
    assert row[3] == score_after


def score_on_card(page) -> float:
    """The total on 银川市人民政府's 2024 score card (考核), as the supervisor sees it."""
    page.goto("/dashboard/assessment/2024/units/gov-640100/")
    total = page.locator("tfoot td.num strong").inner_text()
    assert re.fullmatch(r"\d+\.\d\d", total), total
    return float(total)
