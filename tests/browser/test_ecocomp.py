"""Ecological compensation in a real browser (issue 12, "Done when"): the finance unit imports
a factor workbook (a bad one first), runs the allocation, explains a county's amount line by
line, approves and makes it final; the public page shows it, with Excel and PDF exports."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import User
from shuzheng.ecocomp import services
from shuzheng.ecocomp.models import AllocationRun
from shuzheng.ecocomp.samples import sample, sample_file
from shuzheng.orgs.models import Unit
from shuzheng.orgs.services import load_sample_registry
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Shuzheng-2023!"


@pytest.fixture
def finance_head_page(page, tmp_path):
    load_sample_registry()
    finance = Unit.objects.get(code="nx-finance")
    entry = sample()["rule_set"]
    rule_set = services.create_rule_set(
        actor=None,
        owner=finance,
        year=entry["year"],
        fund_name=entry["fund_name"],
        name=entry["name"],
        fund=entry["fund"],
        floor=entry["floor"],
        components=entry["components"],
        sources=entry["sources"],
    )
    User.objects.create_user(
        username="caizheng", password=PASSWORD, role=Role.UNIT_HEAD, unit=finance
    )
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("caizheng")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page, rule_set


def test_import_run_explain_approve_final_public_and_exports(finance_head_page, tmp_path):
    page, rule_set = finance_head_page
    page.goto(f"/ecocomp/rule-sets/{rule_set.pk}/")
    page.get_by_role("button", name="审核通过").click()
    assert "分配方案已审核" in page.locator(".messages").inner_text()

    good = sample_file(sample()["factors_file"])
    bad = tmp_path / "因素-有误.csv"
    bad.write_bytes(good.replace("兴庆区,51101,".encode(), "兴庆区,约五万,".encode(), 1))
    page.get_by_label("文件（.xlsx或.csv）").set_input_files(str(bad))
    page.get_by_role("button", name="导入").click()
    messages = page.locator(".messages").inner_text()
    assert "未导入任何数据" in messages and "第2行“标准财政收支缺口（万元）”列" in messages

    factors = tmp_path / "因素.csv"
    factors.write_bytes(good)
    page.get_by_label("文件（.xlsx或.csv）").set_input_files(str(factors))
    page.get_by_label("数据来源").fill("示例数据")
    page.get_by_role("button", name="导入").click()
    assert "导入22个县（区）的因素" in page.locator(".messages").inner_text()

    page.get_by_role("button", name="测算分配").click()
    page.wait_for_url("**/ecocomp/runs/*/")
    run = AllocationRun.objects.get()
    assert page.locator("#allocation-table tbody tr").count() == 22
    assert page.locator(".bar-chart .seg").count() > 22
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]

    page.locator("#allocation-table a[href$='/county/640522/']").click()
    page.wait_for_url(f"**/ecocomp/runs/{run.pk}/county/640522/")
    amount = run.counties.get(region__code="640522").amount
    assert page.locator("#county-amount").inner_text() == f"{amount:,}"
    rows = page.locator("#explanation tbody tr")
    assert rows.count() == len(run.counties.get(region__code="640522").lines)
    assert "重点补助" in page.locator("#explanation").inner_text()
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]

    page.goto(f"/ecocomp/runs/{run.pk}/")
    page.get_by_role("button", name="审批本次测算").click()
    assert page.locator("#run-state").inner_text() == "已审批"
    page.get_by_role("button", name="定稿并公开").click()
    assert page.locator("#run-state").inner_text() == "已定稿"

    page.get_by_role("button", name="退出登录").click()
    page.goto("/ecocomp/")
    page.get_by_role("link", name=rule_set.name).click()
    page.wait_for_url(f"**/ecocomp/runs/{run.pk}/")
    assert page.locator("#allocation-table tbody tr").count() == 22

    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载Excel").click()
    sheet = load_workbook(BytesIO(download_info.value.path().read_bytes()))["分配表"]
    headers = [cell.value for cell in sheet[2]]
    totals = [
        row[headers.index("合计（元）")] for row in sheet.iter_rows(min_row=3, values_only=True)
    ]
    assert sum(totals) == int(rule_set.fund)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载PDF").click()
    assert download_info.value.path().read_bytes().startswith(b"%PDF")
