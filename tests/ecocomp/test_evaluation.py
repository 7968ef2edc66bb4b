"""The assessment link end to end (考评挂钩, services.evaluate_counties): the ledger's tasks of
the named measures and a county's water quality give its score, the score becomes the
assessment factor with the evaluation as provenance, and the run's lines read score → band
→ reward or deduction."""

import datetime as dt
from decimal import Decimal as D

import pytest

from shuzheng.audit.models import AuditEvent
from shuzheng.documents.models import Document, Section, SourceFile
from shuzheng.ecocomp import rendering, services
from shuzheng.ecocomp.allocation import ASSESSMENT_BAND
from shuzheng.ecocomp.models import (
    CountyEvaluation,
    CountyFactor,
    MonitoringSection,
    WaterQualityReading,
)
from shuzheng.orgs.models import Region, Unit
from shuzheng.tasks.models import Milestone
from shuzheng.tasks.services.lights import refresh_lights
from tests.tasks.factories import add_report, assign, make_task

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 6, 30)
ASSESSMENT = {
    "document": "宁党办〔2023〕32号",
    "measures": ["（十九）"],
    "duty_points": "60",
    "quality_points": "40",
    "credits": {"grey": "1", "green": "1", "yellow": "0.5", "red": "0"},
    "overdue_penalty": "2",
    "penalty_cap": "10",
    "target_class": 3,
    "without_tasks": "full",
    "without_quality": "full",
}
COMPONENTS = [
    {"key": "base", "kind": "equal", "share": "0.9"},
    {
        "key": "assessment",
        "name": "考核评价奖惩",
        "kind": "adjustment",
        "share": "0.1",
        "deduction_factor": "negative_list_rate",
        "score_factor": "assessment_score",
        "score_bands": [["0", "60", "0", "0.05", "不合格"], ["60", None, "1", "0", "合格"]],
        "assessment": ASSESSMENT,
    },
]


def gazette_document():
    text = "（十九）建立评价机制。\n（二十）其他。\n"
    source = SourceFile.objects.create(
        name="g.txt", sha256="c" * 64, size=1, source_format="txt", text=text
    )
    document = Document.objects.create(
        source=source,
        title="关于建立健全生态保护补偿机制的实施意见",
        doc_number="宁党办〔2023〕32号",
        identity="title:生态补偿|",
        content_sha256="1" * 64,
        text=text,
        start=0,
        end=len(text),
    )
    sections = [
        Section.objects.create(
            document=document,
            path=str(index),
            heading=heading,
            level=1,
            start=0,
            end=len(text),
            anchor=f"s-{index}",
            position=index,
        )
        for index, heading in enumerate(("（十九）建立评价机制", "（二十）其他"))
    ]
    return document, sections


@pytest.fixture
def assessed(finance):
    return services.create_rule_set(
        actor=None,
        owner=finance,
        year=2024,
        fund_name="测试资金",
        name="考评测试",
        fund="22000000",
        components=COMPONENTS,
        sources={"fund": "测试", "base": "测试", "assessment": "宁党办〔2023〕32号（十九）"},
    )


def test_evaluation_worked_by_hand_feeds_the_band(assessed, clerk):
    """贺兰县 (640122): two tasks of measure （十九） — one due at the end of 2024 (green on
    30 June), one due 31 March and not achieved (red) — and one of （二十）, not counted.
    Duties: credit 1 + 0 = 1 of 2 tasks → 0.5 → 60 × 0.5 = 30 points. Its section: January
    Class II (met), February Class IV (not met), March only a suspect value (left out) →
    1 of 2 → 0.5 → 20 points. One red task → −2. Score 30 + 20 − 2 = 48: band 不合格, so 5 %
    of its base part is deducted and its reward coefficient is 0. Every other county has no
    task and no section: full marks by rule, 100, band 合格."""
    document, (nineteen, twenty) = gazette_document()
    helan = Unit.objects.get(code="gov-640122")
    on_time = make_task(1, helan, document=document, section=nineteen)
    assign(on_time, helan, on=dt.date(2024, 1, 10))
    add_report(on_time, helan, dt.date(2024, 6, 20))
    late = make_task(2, helan, document=document, section=nineteen)
    Milestone.objects.filter(task=late).update(due_on=dt.date(2024, 3, 31))
    refresh_lights([late.pk])
    make_task(3, helan, document=document, section=twenty)
    section = MonitoringSection.objects.create(
        code="helan-test",
        name="测试断面",
        river="测试沟",
        kind="ditch",
        region=Region.objects.get(code="640122"),
        owner=Unit.objects.get(code="nx-ecology-environment"),
    )
    for month, codmn, suspect in (
        ("2024-01", "3", False),
        ("2024-02", "8", False),
        ("2024-03", "3", True),
    ):
        WaterQualityReading.objects.create(
            section=section, month=month, indicator="codmn", value=D(codmn), suspect=suspect
        )

    evaluations = services.evaluate_counties(actor=clerk, rule_set=assessed, today=TODAY)
    assert len(evaluations) == 22
    helan_evaluation = CountyEvaluation.objects.get(year=2024, region__code="640122")
    assert helan_evaluation.score == D("48.00")
    assert helan_evaluation.details["tasks"] == {"grey": 0, "green": 1, "yellow": 0, "red": 1}
    assert helan_evaluation.details["quality"] == {"months": 2, "met": 1, "without_value": 1}
    assert [line[2] for line in helan_evaluation.details["lines"]] == ["30.00", "20.00", "-2.00"]
    assert {e.score for e in evaluations if e.region.code != "640122"} == {D(100)}
    factor = CountyFactor.objects.get(year=2024, region__code="640122", factor="assessment_score")
    assert (factor.value, factor.evaluation) == (D("48.00"), helan_evaluation)
    assert AuditEvent.objects.filter(action="ecocomp.evaluate_counties").count() == 1

    run = services.run_allocation(actor=clerk, rule_set=assessed)
    assert "48" in run.provenance["640122"]["assessment_score"]
    entry = run.counties.get(region__code="640122")
    lines = [line for line in entry.lines if line[0] == "assessment"]
    band = next(line for line in lines if line[1] == ASSESSMENT_BAND)
    # the base part is 19,800,000 / 22 = 900,000; 5 % of it is 45,000
    assert D(band[5]) == D(-45000)
    assert D(lines[-1][5]) == 0
    worded = rendering.worded_lines(entry.lines, assessed.components)
    assert any("不合格" in line.sentence for line in worded)
    assert sum(c.amount for c in run.counties.all()) == D(22000000)


def test_rules_without_assessment_parameters_are_refused(rule_set, clerk):
    with pytest.raises(services.EcocompError):
        services.evaluate_counties(actor=clerk, rule_set=rule_set, today=TODAY)


def test_staff_of_another_unit_may_not_evaluate(assessed, monitor):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.evaluate_counties(actor=monitor, rule_set=assessed, today=TODAY)
    assert not CountyEvaluation.objects.exists()
