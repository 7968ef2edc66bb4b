"""The dashboard pages: one screen, drill-down lists, ranking, score card, rules, exports."""

import json
import re
from io import BytesIO

import pdfplumber
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from shuzheng.audit.models import AuditEvent
from shuzheng.dashboard import samples, services
from shuzheng.dashboard.models import AssessmentRules
from shuzheng.tasks.models import KeyTask
from tests.dashboard.conftest import TODAY
from tests.pdfs import assert_fonts_embedded

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, supervisor):
    client.force_login(supervisor)
    return client


def tile_count(html: str, light: str) -> tuple[str, int]:
    match = re.search(
        rf'tile-{light}">\s*<a href="([^"]+)">\s*<span class="tile-count">(\d+)', html
    )
    return match.group(1).replace("&amp;", "&"), int(match.group(2))


def test_the_overview_shows_every_panel_with_accessible_charts(sample_ledger, today, signed_in):
    response = signed_in.get("/dashboard/")
    html = response.content.decode()
    assert response.status_code == 200
    href, red = tile_count(html, "red")
    assert red == KeyTask.objects.filter(parent__isnull=True, light="red").count() > 0
    assert html.count('class="chart" role="group"') == 3  # category, unit, deadline year
    assert html.count('class="chart" role="img"') == 1  # the trend
    assert html.split("<main", 1)[1].count("<details>") == 4  # not the header's 更多
    assert "2023-Q4" in html  # the on-time trend has the quarter the 2023 milestones fell due
    assert "Lights as of 2024-03-01" in html or "2024-03-01" in html
    assert 'href="/dashboard/tasks/?category=' in html
    assert 'href="/dashboard/tasks/?unit=nx-general-office&amp;light=red"' in html
    assert len(re.findall(r"and \d+ more units?<", html)) == 1  # under the unit chart only


def test_a_number_drills_down_to_exactly_its_tasks(sample_ledger, today, signed_in):
    html = signed_in.get("/dashboard/").content.decode()
    href, red = tile_count(html, "red")
    listing = signed_in.get(href).content.decode()
    assert f"{red} tasks" in listing or f"{red} task" in listing
    summary = services.summary_of(services.current_snapshot())
    office = next(entry for entry in summary.units if entry.key == "nx-general-office")
    response = signed_in.get("/dashboard/tasks/", {"unit": "nx-general-office", "light": "red"})
    assert response.context["page"].paginator.count == office.counts["red"]
    year = summary.years[0]
    response = signed_in.get("/dashboard/tasks/", {"year": year.key})
    assert response.context["page"].paginator.count == year.total
    category = summary.categories[0]
    response = signed_in.get("/dashboard/tasks/", {"category": category.key, "light": "yellow"})
    assert response.context["page"].paginator.count == category.counts["yellow"]


def test_the_overview_costs_a_fixed_number_of_queries(
    sample_ledger, today, signed_in, django_assert_max_num_queries
):
    signed_in.get("/dashboard/")  # computes today's snapshot once
    with django_assert_max_num_queries(8):
        signed_in.get("/dashboard/")


def test_a_stale_snapshot_says_so(sample_ledger, today, signed_in, monkeypatch):
    signed_in.get("/dashboard/")
    services.mark_snapshot_stale()
    monkeypatch.setattr(services, "RECOMPUTE_ON_VIEW_BELOW_MS", 0)
    html = signed_in.get("/dashboard/").content.decode()
    assert "The ledger has changed since" in html or "is-stale" in html


def test_the_refresh_button_recomputes(sample_ledger, today, signed_in):
    response = signed_in.post("/dashboard/refresh/", follow=True)
    assert response.redirect_chain[-1][0] == "/dashboard/"
    assert services.current_snapshot().as_of == TODAY


def test_the_ranking_and_a_score_card_explain_the_score(assessed, today, signed_in):
    response = signed_in.get("/dashboard/assessment/2023/")
    assert response.status_code == 200
    html = response.content.decode()
    office, yinchuan = html.index("宁夏回族自治区人民政府办公厅"), html.index("银川市人民政府")
    assert office < yinchuan  # 95.00 ranks before 68.57
    assert "95.00" in html and "68.57" in html
    assert 'href="/dashboard/assessment/2023/units/gov-640100/"' in html
    card = signed_in.get("/dashboard/assessment/2023/units/gov-640100/").content.decode()
    assert "3 of 7 progress reports on time: 42.86% × 20 = 8.57 points" in card
    assert "not rated, no marks by rule" in card
    assert "50.00 + 8.57 + 0.00 + 10.00 = 68.57" in card


def test_an_unknown_unit_or_the_export_of_a_year_without_rules_is_not_found(db, signed_in):
    assert signed_in.get("/dashboard/assessment/2023/units/no-such-unit/").status_code == 404
    assert signed_in.get("/dashboard/assessment/1999/export.xlsx").status_code == 404


@pytest.mark.chinese_ui
def test_a_year_without_rules_explains_and_offers_the_last_year_s_rules(db, signed_in):
    """Issue 14: the dashboard's "2026年度考核" link opened Django's English debug 404."""
    samples.load_sample_rules()
    response = signed_in.get("/dashboard/assessment/2026/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert response.status_code == 200
    assert "2026年度考核" in html and "尚未制定2026年度考核规则" in html
    assert 'action="/dashboard/assessment/2026/start/"' in html
    assert "沿用2023年度规则" in html

    started = signed_in.post("/dashboard/assessment/2026/start/", follow=True)
    assert started.status_code == 200
    stored = AssessmentRules.objects.get(year=2026).rules
    assert stored["title"].startswith("2026年度") and stored["year"] == 2026
    assert stored["indicators"] == samples.sample_rules_data()["indicators"]
    assert AuditEvent.objects.filter(
        action="dashboard.save_rules", object_id=str(AssessmentRules.objects.get(year=2026).pk)
    ).exists()
    # A second start keeps the stored rules and says why.
    again = signed_in.post("/dashboard/assessment/2026/start/", follow=True)
    assert "2026年度考核规则已存在。" in again.content.decode()
    assert AssessmentRules.objects.filter(year=2026).count() == 1


def test_without_any_rules_the_page_asks_for_an_upload(db, signed_in):
    html = signed_in.get("/dashboard/assessment/1999/").content.decode()
    assert "No year has rules yet" in html and "/start/" not in html
    refused = signed_in.post("/dashboard/assessment/1999/start/", follow=True)
    assert "upload a rules file" in refused.content.decode()
    assert not AssessmentRules.objects.exists()


def test_uploading_faulty_rules_shows_every_problem_and_saves_nothing(
    db, signed_in, faulty_rules_upload
):
    response = signed_in.post("/dashboard/assessment/rules/", {"rules": faulty_rules_upload})
    html = response.content.decode()
    assert response.status_code == 400
    assert "indicators: weights must sum to 100, they sum to 120" in html
    assert "tie_break: &#x27;nobody&#x27; is not an indicator id" in html
    assert not AssessmentRules.objects.exists()
    missing = signed_in.post("/dashboard/assessment/rules/", {})
    assert missing.status_code == 400


def test_uploading_valid_rules_adds_the_year(db, signed_in):
    data = samples.sample_rules_data()
    data["year"] = 2024
    upload = SimpleUploadedFile("rules.json", json.dumps(data).encode(), "application/json")
    response = signed_in.post("/dashboard/assessment/rules/", {"rules": upload}, follow=True)
    assert response.status_code == 200
    assert AssessmentRules.objects.get().year == 2024
    assert "2024" in response.content.decode()
    assert signed_in.get("/dashboard/assessment/2024/").status_code == 200


def test_the_excel_export_has_ranking_line_item_and_region_sheets(assessed, today, signed_in):
    response = signed_in.get("/dashboard/assessment/2023/export.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="assessment-2023.xlsx"'
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["排名", "评分明细", "地区"]
    ranking = list(workbook["排名"].iter_rows(values_only=True))
    assert ranking[0][0] == "2023年度数字政府建设重点任务考核指标体系（样例）（截至 2023-12-31）"
    assert list(ranking[1]) == ["排名", "单位", "地区", "总分", "等次", "以奖代补"]
    assert ranking[2:] == [
        (1, "宁夏回族自治区人民政府办公厅", "宁夏回族自治区", 95.0, "优秀", "是"),
        (2, "银川市人民政府", "银川市", 68.57, "一般", None),
    ]
    lines = list(workbook["评分明细"].iter_rows(min_row=3, values_only=True))
    assert len(lines) == 8
    assert lines[5] == (
        "银川市人民政府",
        "进展情况按时反馈率",
        20.0,
        0.4286,
        0.4286,
        8.57,
        "3 of 7 progress reports on time: 42.86% × 20 = 8.57 points",
    )
    regions = list(workbook["地区"].iter_rows(min_row=3, values_only=True))
    assert [(row[1], row[2]) for row in regions] == [("宁夏回族自治区", 95.0), ("银川市", 68.57)]


def test_the_pdf_export_reads_back_in_chinese(assessed, today, signed_in):
    response = signed_in.get("/dashboard/assessment/2023/export.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert_fonts_embedded(response.content)
    with pdfplumber.open(BytesIO(response.content)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "2023年度数字政府建设重点任务考核指标体系" in text
    assert "单位排名" in text and "地区得分" in text and "评分明细" in text
    assert "银川市人民政府" in text and "68.57" in text
    assert "3 of 7 progress reports on time" in text
