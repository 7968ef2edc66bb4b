"""The ecocomp pages: finance (import, run, explain, what-if, approve, final), environment
(sections, monitoring, agreements, settlements), a county, the public; exports."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shuzheng.ecocomp.choices import RunState
from shuzheng.ecocomp.models import AllocationRun, Settlement
from shuzheng.orgs.models import Unit
from tests.ecocomp.conftest import make_user
from tests.ecocomp.workbooks import as_csv, factor_table

pytestmark = pytest.mark.django_db


def upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_finance_imports_runs_explains_approves_and_publishes(client, rule_set, head):
    client.force_login(head)
    page = client.get(reverse("ecocomp:rule_set", args=[rule_set.pk]))
    assert page.status_code == 200 and "测试方案" in page.text
    bad = factor_table()
    bad[3][2] = "约五万"
    answer = client.post(
        reverse("ecocomp:import_factors", args=[rule_set.pk]),
        {"file": upload("坏.csv", as_csv(bad)), "source": ""},
        follow=True,
    )
    assert "Row 4, column 常住人口: “约五万” is not a number." in answer.text
    answer = client.post(
        reverse("ecocomp:import_factors", args=[rule_set.pk]),
        {"file": upload("因素.csv", as_csv(factor_table())), "source": "测试"},
        follow=True,
    )
    assert "Imported the factors of 22 counties" in answer.text
    client.post(reverse("ecocomp:review", args=[rule_set.pk]))
    answer = client.post(reverse("ecocomp:run_rule_set", args=[rule_set.pk]), follow=True)
    run = AllocationRun.objects.get()
    assert answer.status_code == 200 and "allocation-table" in answer.text
    explain = client.get(reverse("ecocomp:explain", args=[run.pk, "640104"]))
    assert explain.status_code == 200 and "import #" in explain.text
    what_if = client.post(
        reverse("ecocomp:what_if", args=[run.pk]),
        {"weight:guidance:population": "0.9", "weight:guidance:forest_area": "0.1"},
        follow=True,
    )
    assert what_if.status_code == 200 and "the base run" in what_if.text
    client.post(reverse("ecocomp:approve", args=[run.pk]))
    client.post(reverse("ecocomp:finalise", args=[run.pk]))
    assert AllocationRun.objects.get(pk=run.pk).state == RunState.FINAL
    client.logout()
    public = client.get(reverse("ecocomp:published"))
    assert "测试方案" in public.text
    assert client.get(reverse("ecocomp:run", args=[run.pk])).status_code == 200
    workbook = client.get(reverse("ecocomp:run_xlsx", args=[run.pk]))
    sheet = load_workbook(BytesIO(workbook.content))["分配表"]
    headers = [cell.value for cell in sheet[2]]
    totals = [
        row[headers.index("合计（元）")] for row in sheet.iter_rows(min_row=3, values_only=True)
    ]
    assert sheet["B3"].value == "兴庆区" and sum(totals) == 22000000
    pdf = client.get(reverse("ecocomp:run_pdf", args=[run.pk]))
    assert pdf.content.startswith(b"%PDF")


def test_a_draft_run_is_not_public(client, rule_set):
    from shuzheng.ecocomp import services

    services.import_factors(
        actor=None, rule_set=rule_set, file_name="a.csv", data=as_csv(factor_table())
    )
    run = services.run_allocation(actor=None, rule_set=rule_set)
    answer = client.get(reverse("ecocomp:run", args=[run.pk]))
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


def test_a_county_reads_its_own_allocation_only(client, sample_data, head):
    from shuzheng.ecocomp import services

    run = AllocationRun.objects.get(rule_set__is_sample=True)
    services.approve_run(actor=None, run=run)
    county_staff = make_user("haiyuan", "unit_staff", Unit.objects.get(code="gov-640522"))
    client.force_login(county_staff)
    mine = client.get(reverse("ecocomp:my_county"), follow=True)
    assert "海原县" in mine.text
    explain = client.get(reverse("ecocomp:explain", args=[run.pk, "640522"]))
    assert explain.status_code == 200
    assert client.get(reverse("ecocomp:explain", args=[run.pk, "640104"])).status_code == 403
    assert client.get(reverse("ecocomp:county", args=["640104"])).status_code == 403


@pytest.mark.chinese_ui
def test_environment_pages_in_chinese(client, sample_data):
    monitor = make_user("env", "unit_staff", Unit.objects.get(code="nx-ecology-environment"))
    client.force_login(monitor)
    sections = client.get(reverse("ecocomp:sections"))
    assert "五佛寺" in sections.text
    section = client.get(reverse("ecocomp:section", args=["wufosi"]))
    assert "Ⅱ类" in section.text
    settlement = Settlement.objects.get(agreement__section__code="ditch3-outfall")
    page = client.get(reverse("ecocomp:settlement", args=[settlement.pk]))
    assert "平罗县向惠农区支付" in page.text
    wufosi = Settlement.objects.get(agreement__section__code="wufosi", period="2024")
    assert "本期双方互不补偿。" in client.get(reverse("ecocomp:settlement", args=[wufosi.pk])).text
    assert "codmn" not in page.text and " vs " not in page.text
    answer = client.post(
        reverse("ecocomp:settle", args=[settlement.agreement.pk]),
        {"period": "2024-13"},
        follow=True,
    )
    assert "结算期须为年度" in answer.text
    xlsx = client.get(reverse("ecocomp:settlement_xlsx", args=[settlement.pk]))
    assert load_workbook(BytesIO(xlsx.content))["结算单"]["A3"].value == "协议"
    assert (
        client.get(reverse("ecocomp:settlement_pdf", args=[settlement.pk])).content[:4] == b"%PDF"
    )
