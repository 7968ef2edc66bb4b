"""Every coded sentence of the ledger and the assessment reads in Chinese in the Chinese UI
and in English in the English one: light reasons, score explanation lines, score cards,
region scores, indicator kinds and settings; and the Chinese assessment export (Excel and
PDF) carries no English sentence (issue 8, item 4)."""

import datetime as dt
import re
from decimal import Decimal as D
from io import BytesIO

import pdfplumber
import pytest
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from shuzheng.dashboard.samples import sample_rules_data
from shuzheng.tasks.rendering import rules_problem
from shuzheng.tasks.scoring import (
    PROBLEM_TEXT,
    IndicatorKind,
    LineItem,
    Measure,
    Problem,
    RegionScore,
    RulesError,
    ScoreCard,
    ScoringRules,
    UnitFacts,
    score_unit,
)
from shuzheng.tasks.status import REASON_TEXT, Light, Reason, TaskStatus, Verdict, about

pytestmark = pytest.mark.chinese_ui

#: A Latin-alphabet word of three letters or more: the trace of an English sentence.
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
DAY = dt.date(2024, 12, 31)
MEASURE_VALUES = {
    Measure.MILESTONES_ON_TIME: {"met": 18, "due": 20},
    Measure.REPORTS_ON_TIME: {"met": 11, "due": 12},
    Measure.MEAN_RATING: {"count": 3, "mean": D("4.33"), "low": 1, "high": 5},
    Measure.OVERDUE_DEDUCTED: {"items": 3, "per_item": 2, "deducted": 6, "weight": 10},
}


def in_both_languages(render) -> tuple[str, str]:
    with translation.override("zh-hans"):
        chinese = render()
    with translation.override("en"):
        english = render()
    return chinese, english


def assert_chinese(text: str) -> None:
    assert not LATIN_WORD.search(text), f"English in the Chinese text: {text!r}"
    assert ": " not in text and "; " not in text, f"Latin punctuation in: {text!r}"


def line(measure: Measure) -> LineItem:
    return LineItem(
        "i",
        "重点任务节点按时完成率",
        IndicatorKind.ON_TIME_MILESTONE_SHARE,
        None,
        D("0.9"),
        D(50),
        D("45.00"),
        measure,
        MEASURE_VALUES.get(measure, {}),
    )


@pytest.mark.parametrize("reason", list(Reason))
def test_every_light_reason_reads_in_both_languages(reason):
    verdict = Verdict(Light.RED, reason, on=DAY, days=3)
    chinese, english = in_both_languages(
        lambda: about("2024年建成", verdict.describe(gettext), gettext)
    )
    assert_chinese(chinese)
    assert "2024年建成：" in chinese
    assert english == "2024年建成: " + REASON_TEXT[reason].format(on=DAY, days=3)


@pytest.mark.parametrize("measure", list(Measure))
def test_every_score_line_reads_in_both_languages(measure):
    chinese, english = in_both_languages(lambda: line(measure).describe(gettext))
    assert_chinese(chinese)
    assert chinese.endswith("× 50 = 45.00 分")
    assert english == line(measure).explanation


def test_a_score_card_and_a_region_score_read_in_both_languages():
    rules = ScoringRules.from_dict(sample_rules_data())
    facts = UnitFacts("银川市人民政府", "银川市", 20, 18, 12, 11, (4, 5, 4), 3)
    card = score_unit(facts, rules)
    chinese, english = in_both_languages(lambda: card.describe(gettext))
    assert_chinese(chinese)
    assert chinese.splitlines()[-1].startswith("总分：")
    assert english == card.explain()
    region = RegionScore(
        "银川市", card.total, (card, ScoreCard("兴庆区人民政府", "银川市", D(80), ()))
    )
    chinese, english = in_both_languages(lambda: region.describe(gettext))
    assert_chinese(chinese)
    assert "银川市人民政府 " in chinese and "、兴庆区人民政府 80" in chinese
    assert english == region.explanation


def test_every_indicator_kind_and_its_settings_read_in_both_languages():
    rules = ScoringRules.from_dict(sample_rules_data())
    assert {indicator.kind for indicator in rules.indicators} == set(IndicatorKind)
    for indicator in rules.indicators:
        for render in (indicator.describe_kind, indicator.describe_settings):
            chinese, english = in_both_languages(lambda render=render: render(gettext))
            assert_chinese(chinese)
            assert english == render()


def test_a_task_status_about_a_milestone_uses_chinese_punctuation():
    verdict = Verdict(Light.RED, Reason.REPORT_OVERDUE, on=DAY, days=275)
    status = TaskStatus(verdict, (verdict,))
    with translation.override("zh-hans"):
        assert_chinese(status.describe(gettext))


@pytest.fixture
def signed_in_chinese(client, supervisor):
    client.force_login(supervisor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    return client


def test_the_chinese_excel_export_has_no_english_sentence(assessed, today, signed_in_chinese):
    response = signed_in_chinese.get("/dashboard/assessment/2023/export.xlsx")
    workbook = load_workbook(BytesIO(response.content))
    cells = [
        str(value)
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str)
    ]
    assert any("按时反馈" in cell for cell in cells)
    for cell in cells:
        assert_chinese(cell)


def test_the_chinese_pdf_export_has_no_english_sentence(assessed, today, signed_in_chinese):
    response = signed_in_chinese.get("/dashboard/assessment/2023/export.pdf")
    with pdfplumber.open(BytesIO(response.content)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "按时反馈" in text
    assert not LATIN_WORD.search(text), LATIN_WORD.findall(text)


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/",
        "/dashboard/tasks/?light=red",
        "/dashboard/assessment/2023/",
        "/dashboard/assessment/2023/units/gov-640100/",
        "/dashboard/assessment/rules/",
    ],
)
def test_the_chinese_dashboard_pages_show_no_english_reason_or_explanation(
    assessed, today, signed_in_chinese, path
):
    response = signed_in_chinese.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    english = [text.split("{")[0].strip() for text in REASON_TEXT.values()]
    english += [" points", "marks by rule", "on_time_milestone_share", "if_no_data"]
    assert [text for text in english if text in html] == []


#: Sample values for the problems of a rules file that name some.
PROBLEM_VALUES = {
    "not_json": {"error": "Expecting value: line 1 column 1 (char 0)"},
    "wrong_format": {"expected": "'shuzheng.assessment/1'", "got": "None"},
    "wrong_year": {"got": "'2023'"},
    "unknown_key": {"key": "'colour'"},
    "duplicate_id": {"id": "'milestones'"},
    "weights_total": {"total": D(95)},
    "unknown_kind": {"kind": "'luck'", "known": "on_time_milestone_share, supervisor_rating"},
    "unknown_external": {"kind": "'hotline.luck'", "known": "hotline.response_rate"},
    "not_positive": {"got": "-1"},
    "missing_param": {"name": "'points_per_item'"},
    "bad_if_no_data": {"got": "'maybe'"},
    "bad_number": {"got": "'high'"},
    "unknown_tie_break": {"id": "'nobody'"},
}
#: What a Chinese problem may keep in Latin letters: the values it quotes, the keys and
#: literals of the file (between “…”), and the format's name.
QUOTED = re.compile(r"“[^”]*”")


@pytest.mark.parametrize("code", list(PROBLEM_TEXT))
def test_every_rules_problem_reads_in_both_languages(code):
    values = PROBLEM_VALUES.get(code, {})
    problem = Problem("indicators[2].params", code, **values)
    chinese, english = in_both_languages(lambda: rules_problem(problem))
    assert english == str(problem)
    words = QUOTED.sub("", chinese).replace("indicators[2].params", "").replace("JSON", "")
    for value in values.values():
        words = words.replace(str(value), "")
    assert_chinese(words)
    assert chinese.startswith("indicators[2].params：")


def test_the_known_kinds_of_an_unknown_kind_are_enumerated_in_the_readers_language():
    data = sample_rules_data()
    data["indicators"][1]["kind"] = "luck"
    with pytest.raises(RulesError) as raised:
        ScoringRules.from_dict(data)
    (problem,) = raised.value.problems
    chinese, english = in_both_languages(lambda: rules_problem(problem))
    assert f"（可用：{'、'.join(IndicatorKind)}）" in chinese
    assert f"(known: {', '.join(IndicatorKind)})" in english


def test_the_chinese_rules_page_lists_the_problems_in_chinese(
    db, signed_in_chinese, faulty_rules_upload
):
    response = signed_in_chinese.post(
        "/dashboard/assessment/rules/", {"rules": faulty_rules_upload}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "indicators：权重之和应为 100，实际为 120" in html
    assert "tie_break：&#x27;nobody&#x27; 不是指标标识" in html
