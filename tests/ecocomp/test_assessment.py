"""The assessment link (考评挂钩, shuzheng.ecocomp.assessment) and the score bands of the
allocation's adjustment: worked by hand, and properties."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shuzheng.ecocomp import assessment, rules
from shuzheng.ecocomp.allocation import (
    ASSESSMENT_BAND,
    AllocationError,
    Component,
    County,
    Kind,
    Problem,
    RuleSet,
    ScoreBand,
    allocate,
)
from shuzheng.ecocomp.assessment import (
    DUTIES,
    DUTIES_NONE_FULL,
    FLOORED,
    PENALTY,
    QUALITY,
    QUALITY_NONE_ZERO,
    AssessmentRules,
    Duties,
    Quality,
    evaluate,
)

RULES = AssessmentRules(
    duty_points=D(60),
    quality_points=D(40),
    credits={"grey": D(1), "green": D(1), "yellow": D("0.5"), "red": D(0)},
    overdue_penalty=D(2),
    penalty_cap=D(5),
    target_class=3,
    without_tasks="full",
    document="宁党办〔2023〕32号",
    measures=("（八）", "（十九）"),
)


def test_a_county_worked_by_hand():
    """5 tasks: 1 done (grey), 2 green, 1 yellow, 1 red → credit 1 + 2 + 0.5 + 0 = 3.5,
    share 3.5 / 5 = 0.7000 → 60 × 0.7 = 42.00 points. 10 of 12 section-months at Class III or
    better → 0.8333 → 40 × 0.8333 = 33.332 → 33.33 points. 1 red task × 2 points = 2 (cap 5)
    → −2.00. Score 42.00 + 33.33 − 2.00 = 73.33."""
    duties = Duties({"grey": 1, "green": 2, "yellow": 1, "red": 1})
    result = evaluate(duties, Quality(months=12, met=10, without_value=1), RULES)
    assert result.score == D("73.33")
    codes = [(code, points) for code, _params, points in result.lines]
    assert codes == [(DUTIES, D("42.00")), (QUALITY, D("33.33")), (PENALTY, D("-2.00"))]
    assert result.lines[0][1]["share"] == "0.7000"
    assert result.lines[1][1] == {
        "met": 10,
        "months": 12,
        "without_value": 1,
        "target_class": 3,
        "share": "0.8333",
    }


def test_no_tasks_full_marks_no_quality_none_and_the_cap_and_floor():
    """No task: full 60 by rule; no monitored month: 0 by rule → 60. With 4 red tasks of 4
    the duties give 0, the penalty 4 × 2 = 8 is capped at 5, quality 0 → −5, floored at 0."""
    result = evaluate(Duties({}), Quality(), RULES)
    assert result.score == D(60)
    assert [code for code, _, _ in result.lines] == [DUTIES_NONE_FULL, QUALITY_NONE_ZERO]
    result = evaluate(Duties({"red": 4}), Quality(), RULES)
    assert [(code, points) for code, _, points in result.lines] == [
        (DUTIES, D("0.00")),
        (QUALITY_NONE_ZERO, D(0)),
        (PENALTY, D("-5.00")),
        (FLOORED, D("5.00")),
    ]
    assert result.score == 0


def test_stored_parameters_are_checked():
    with pytest.raises(assessment.AssessmentRulesError) as refused:
        assessment.rules_from_data(
            {"duty_points": "-1", "quality_points": "x", "target_class": 7, "without_tasks": "?"}
        )
    messages = [message for message, _ in refused.value.problems]
    assert assessment.BAD_NUMBER in messages
    assert assessment.BAD_CLASS in messages
    assert assessment.BAD_CHOICE in messages
    assert assessment.NO_MEASURES in messages
    parsed = assessment.rules_from_data(
        {
            "document": "宁党办〔2023〕32号",
            "measures": ["（十九）"],
            "duty_points": "60",
            "quality_points": "40",
            "credits": {"green": "1", "yellow": "0.5"},
        }
    )
    assert parsed.credits == {"green": D(1), "yellow": D("0.5")}
    assert parsed.target_class == 3


BANDS = (
    ScoreBand(D(0), D(60), D(0), D("0.05"), "不合格"),
    ScoreBand(D(60), D(90), D(1), D(0), "合格"),
    ScoreBand(D(90), None, D("1.5"), D(0), "优秀"),
)


def banded_rules():
    return RuleSet(
        fund=D(1000000),
        components=(
            Component("base", Kind.EQUAL, D("0.9")),
            Component(
                "assessment",
                Kind.ADJUSTMENT,
                D("0.1"),
                deduction_factor="neg",
                score_factor="score",
                score_bands=BANDS,
            ),
        ),
    )


def test_score_band_reward_and_deduction_worked_by_hand():
    """Fund 1,000,000: base 90 % equal → 300,000 each. Assessment 10 % = 100,000.
    A scores 95 (优秀, reward × 1.5 → 142.5), B 70 (合格, × 1 → 70), C 50 (不合格: reward × 0,
    deduction 5 % of 300,000 = 15,000). B also breaks the negative list at 10 %: −30,000.
    Pool 100,000 + 15,000 + 30,000 = 145,000 over weighted scores 142.5 + 70 + 0 = 212.5:
    A 145,000 × 142.5 / 212.5 = 97,235.29…, B 145,000 × 70 / 212.5 = 47,764.70…, C 0.
    Totals A 397,235.29, B 300,000 − 30,000 + 47,764.71 = 317,764.71, C 285,000 → rounded
    down 397,235 + 317,764 + 285,000 = 999,999; the yuan goes to the larger fraction
    (B .7058… against A .2941…): 397,235 / 317,765 / 285,000."""
    counties = [
        County("A", "甲县", {"neg": D(0), "score": D(95)}),
        County("B", "乙县", {"neg": D("0.1"), "score": D(70)}),
        County("C", "丙县", {"neg": D(0), "score": D(50)}),
    ]
    result = allocate(banded_rules(), counties)
    assert result.amounts() == {"A": D(397235), "B": D(317765), "C": D(285000)}
    a, b, c = result.counties
    reward = next(line for line in a.lines if line.factor == "score")
    assert (reward.factor, reward.value, reward.weight) == ("score", D(95), D("1.5"))
    assert reward.share.quantize(D("0.0001")) == D("0.6706")
    band = next(line for line in c.lines if line.factor == ASSESSMENT_BAND)
    assert (band.value, band.share, band.amount) == (D(50), D("0.05"), D(-15000))
    assert next(line for line in c.lines if line.factor == "score").amount == 0
    assert not any(line.factor == ASSESSMENT_BAND for line in a.lines + b.lines)
    deduction = next(line for line in b.lines if line.factor == "neg")
    assert deduction.amount == D(-30000)


def test_a_score_in_no_band_is_refused():
    counties = [County("A", "甲县", {"neg": D(0), "score": D(101)})]
    narrow = RuleSet(
        D(100),
        (
            Component(
                "assessment",
                Kind.ADJUSTMENT,
                D(1),
                deduction_factor="neg",
                score_factor="score",
                score_bands=(ScoreBand(D(0), D(100), D(1)),),
            ),
        ),
    )
    with pytest.raises(AllocationError) as refused:
        allocate(narrow, counties)
    assert refused.value.problem == Problem.NO_BAND


def test_stored_score_bands_and_assessment_are_read():
    components = [
        {"key": "base", "kind": "equal", "share": "0.9"},
        {
            "key": "assessment",
            "kind": "adjustment",
            "share": "0.1",
            "deduction_factor": "negative_list_rate",
            "score_factor": "assessment_score",
            "score_bands": [["0", "60", "0", "0.05", "不合格"], ["60", None, "1"]],
            "assessment": {"document": "宁党办〔2023〕32号", "measures": ["（十九）"]},
        },
    ]
    pure = rules.rule_set("1000000", components)
    assert pure.components[1].score_bands == (
        ScoreBand(D(0), D(60), D(0), D("0.05"), "不合格"),
        ScoreBand(D(60), None, D(1), D(0), ""),
    )
    entry, parameters = rules.assessment_entry(components)
    assert entry["key"] == "assessment" and parameters["measures"] == ["（十九）"]
    components[1]["assessment"] = {"duty_points": "x"}
    with pytest.raises(rules.RulesError):
        rules.rule_set("1000000", components)


@settings(max_examples=80, deadline=None)
@given(
    st.dictionaries(st.sampled_from(assessment.LIGHTS), st.integers(0, 30)),
    st.integers(0, 120),
    st.integers(0, 120),
)
def test_a_score_stays_within_its_points(lights, months, met):
    met = min(met, months)
    result = evaluate(Duties(lights), Quality(months=months, met=met), RULES)
    assert 0 <= result.score <= RULES.duty_points + RULES.quality_points
    assert result.score == sum(points for _, _, points in result.lines)
