"""Assessment rules as data (tasks.scoring; issue 5, seed tasks 121–124)."""

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

import shuzheng.tasks
from shuzheng.tasks.scoring import (
    ExternalKind,
    IndicatorKind,
    RulesError,
    ScoringRules,
    Share,
    UnitFacts,
    load_rules,
    rank_regions,
    rank_units,
    region_scores,
    score_unit,
    score_units,
)

SAMPLE = Path(shuzheng.tasks.__file__).parent / "data" / "assessment-2023.json"
D = Decimal


@pytest.fixture(scope="module")
def sample_data():
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rules():
    return load_rules(SAMPLE)


def problems_of(data):
    with pytest.raises(RulesError) as caught:
        ScoringRules.from_dict(data)
    return caught.value.problems


def unit(name="自治区政府办公厅", region="640000", **facts):
    defaults = dict(
        milestones_due=20,
        milestones_met_on_time=18,
        reports_due=12,
        reports_on_time=11,
        ratings=(4, 5, 4),
        overdue_items=3,
    )
    return UnitFacts(name, region, **(defaults | facts))


class TestSampleRules:
    def test_the_2023_sample_reflects_seed_task_121(self, rules):
        assert rules.year == 2023
        assert "121" in rules.source and "以奖代补" in rules.source
        assert [i.kind for i in rules.indicators] == list(IndicatorKind)
        assert sum(i.weight for i in rules.indicators) == 100
        assert [g.id for g in rules.grades] == ["excellent", "good", "fair", "poor"]
        assert [g.rewarded for g in rules.grades] == [True, False, False, False]
        assert rules.tie_break == ("milestones-on-time", "report-timeliness", "supervisor-rating")

    def test_grades_are_ordered_whatever_the_file_order(self, sample_data):
        data = copy.deepcopy(sample_data)
        data["grades"].reverse()
        assert [g.min_score for g in ScoringRules.from_dict(data).grades] == [90, 80, 60, 0]


class TestScoreCard:
    def test_every_line_is_explained_and_the_lines_add_up(self, rules):
        card = score_unit(unit(), rules)
        assert [
            (line.indicator, line.raw, line.normalised, line.points) for line in card.lines
        ] == [
            ("milestones-on-time", D("0.9000"), D("0.9000"), D("45.00")),
            ("report-timeliness", D("0.9167"), D("0.9167"), D("18.33")),
            ("supervisor-rating", D("4.33"), D("0.8325"), D("16.65")),
            ("overdue-deduction", 3, D("0.4000"), D("4.00")),
        ]
        assert card.total == D("83.98") == sum(line.points for line in card.lines)
        assert card.grade.id == "good"
        assert card.explain() == "\n".join(
            [
                "重点任务节点按时完成率: 18 of 20 milestones on time: 90.00% × 50 = 45.00 points",
                "进展情况按时反馈率: 11 of 12 progress reports on time: 91.67% × 20 = 18.33 points",
                "督查评价: mean of 3 ratings 4.33 on the 1–5 scale: 83.25% × 20 = 16.65 points",
                "逾期未办结事项扣分: 3 overdue items × 2 = 6 deducted from 10: 40.00% × 10 = 4.00 points",
                "Total: 45.00 + 18.33 + 16.65 + 4.00 = 83.98 points (良好)",
            ]
        )

    def test_a_perfect_unit_scores_100_and_is_rewarded(self, rules):
        card = score_unit(
            unit(milestones_met_on_time=20, reports_on_time=12, ratings=(5,), overdue_items=0),
            rules,
        )
        assert card.total == D("100.00")
        assert (card.grade.id, card.grade.rewarded) == ("excellent", True)

    def test_grade_bands_include_their_lower_bound(self, rules):
        # 45 + 20 + 15 + 10 = 90.00 exactly
        card = score_unit(
            unit(milestones_met_on_time=18, reports_on_time=12, ratings=(4,), overdue_items=0),
            rules,
        )
        assert (card.total, card.grade.id) == (D("90.00"), "excellent")

    def test_nothing_due_counts_as_full_marks_by_rule(self, rules):
        card = score_unit(
            unit(milestones_due=0, milestones_met_on_time=0, reports_due=0, reports_on_time=0),
            rules,
        )
        first, second = card.lines[:2]
        assert (first.raw, first.normalised, first.points) == (None, D(1), D("50.00"))
        assert first.explanation == (
            "none of the milestones fell due, full marks by rule: 100.00% × 50 = 50.00 points"
        )
        assert second.points == D("20.00")

    def test_nothing_due_can_count_as_zero(self, sample_data):
        data = copy.deepcopy(sample_data)
        data["indicators"][0]["params"]["if_no_data"] = "zero"
        card = score_unit(
            unit(milestones_due=0, milestones_met_on_time=0), ScoringRules.from_dict(data)
        )
        assert card.lines[0].points == D("0.00")
        assert "no marks by rule" in card.lines[0].explanation

    def test_an_unrated_unit_gets_no_rating_points_in_the_sample(self, rules):
        line = score_unit(unit(ratings=()), rules).lines[2]
        assert (line.raw, line.points) == (None, D("0.00"))
        assert line.explanation == "not rated, no marks by rule: 0.00% × 20 = 0.00 points"

    def test_an_unrated_unit_can_get_full_marks(self, sample_data):
        data = copy.deepcopy(sample_data)
        data["indicators"][2]["params"]["if_no_data"] = "full"
        line = score_unit(unit(ratings=()), ScoringRules.from_dict(data)).lines[2]
        assert line.points == D("20.00")

    def test_ratings_may_be_decimal_strings(self, rules):
        line = score_unit(unit(ratings=("4.5", 3.5)), rules).lines[2]
        assert (line.raw, line.normalised, line.points) == (D("4.00"), D("0.7500"), D("15.00"))

    @pytest.mark.parametrize("rating", [0, 6, "good", None])
    def test_a_rating_off_the_scale_is_refused(self, rules, rating):
        with pytest.raises(ValueError, match="rating outside the 1–5 scale of 'supervisor-rating'"):
            score_unit(unit(ratings=(4, rating)), rules)

    def test_overdue_deduction_never_goes_below_zero(self, rules):
        line = score_unit(unit(overdue_items=7), rules).lines[3]
        assert (line.raw, line.points) == (7, D("0.00"))
        assert line.explanation.startswith("7 overdue items × 2 = 10 deducted from 10")

    def test_points_of_an_unknown_indicator(self, rules):
        card = score_unit(unit(), rules)
        assert card.points_of("report-timeliness") == D("18.33")
        with pytest.raises(KeyError):
            card.points_of("nope")

    def test_rules_without_grades_give_no_grade(self, sample_data):
        data = copy.deepcopy(sample_data)
        del data["grades"]
        card = score_unit(unit(), ScoringRules.from_dict(data))
        assert card.grade is None
        assert card.explain().endswith("= 83.98 points")


class TestUnitFacts:
    @pytest.mark.parametrize(
        ("facts", "message"),
        [
            ({"milestones_due": -1}, "milestones_due must be a count ≥ 0"),
            ({"overdue_items": 1.0}, "overdue_items must be a count ≥ 0"),
            ({"reports_due": True}, "reports_due must be a count ≥ 0"),
            ({"milestones_met_on_time": 21}, "more milestones met on time than fell due"),
            ({"reports_on_time": 13}, "more reports on time than were due"),
        ],
    )
    def test_impossible_facts_are_refused(self, facts, message):
        with pytest.raises(ValueError, match=message):
            unit(**facts)

    def test_a_unit_may_appear_only_once(self, rules):
        with pytest.raises(ValueError, match="more than once"):
            score_units([unit(), unit()], rules)


class TestRegionsAndRanking:
    @pytest.fixture
    def cards(self, rules):
        return score_units(
            [
                unit("银川市人民政府", "640100", milestones_met_on_time=20, overdue_items=0),
                unit("兴庆区人民政府", "640100", milestones_met_on_time=15, overdue_items=1),
                unit("石嘴山市人民政府", "640200", milestones_met_on_time=20, overdue_items=0),
                unit("自治区政府办公厅", "640000"),
                unit(
                    "自治区财政厅", "640000", reports_on_time=12, ratings=(4, 4, 4), overdue_items=4
                ),
            ],
            rules,
        )

    def test_region_score_is_the_mean_of_its_units(self, cards):
        scores = {score.region: score for score in region_scores(cards)}
        assert list(scores) == ["640000", "640100", "640200"]
        assert [c.total for c in scores["640100"].units] == [D("94.98"), D("80.48")]
        assert scores["640100"].score == D("87.73")  # (94.98 + 80.48) / 2
        assert scores["640100"].explanation == (
            "Mean of 2 units (银川市人民政府 94.98, 兴庆区人民政府 80.48) = 87.73 points"
        )

    def test_units_rank_by_total_and_equal_totals_share_a_rank(self, cards, rules):
        table = rank_units(cards, rules)
        assert [(row.rank, row.entry.unit, row.entry.total, row.tied) for row in table] == [
            (1, "石嘴山市人民政府", D("94.98"), True),
            (1, "银川市人民政府", D("94.98"), True),
            (3, "自治区政府办公厅", D("83.98"), False),
            (4, "自治区财政厅", D("82.00"), False),
            (5, "兴庆区人民政府", D("80.48"), False),
        ]

    def test_the_table_does_not_depend_on_input_order(self, cards, rules):
        forwards = [(r.rank, r.entry.unit) for r in rank_units(cards, rules)]
        backwards = [(r.rank, r.entry.unit) for r in rank_units(reversed(cards), rules)]
        assert forwards == backwards

    @pytest.fixture
    def equal_totals(self):
        """80 points each: 50 + 20 + 0 + 10 against 40 + 20 + 10 + 10."""
        return [
            unit(
                "乙", milestones_met_on_time=16, reports_on_time=12, ratings=(3,), overdue_items=0
            ),
            unit(
                "甲", milestones_met_on_time=20, reports_on_time=12, ratings=(1,), overdue_items=0
            ),
        ]

    def test_tie_break_indicators_separate_equal_totals(self, rules, equal_totals):
        cards = score_units(equal_totals, rules)
        assert cards[0].total == cards[1].total == D("80.00")
        table = rank_units(cards, rules)
        assert [(r.rank, r.entry.unit, r.tied) for r in table] == [
            (1, "甲", False),
            (2, "乙", False),
        ]

    def test_without_tie_break_equal_totals_share_a_rank(self, sample_data, equal_totals):
        data = copy.deepcopy(sample_data)
        data["tie_break"] = []
        rules = ScoringRules.from_dict(data)
        table = rank_units(score_units(equal_totals, rules), rules)
        # listed by unit name: 乙 (U+4E59) before 甲 (U+7532)
        assert [(r.rank, r.entry.unit, r.tied) for r in table] == [(1, "乙", True), (1, "甲", True)]

    def test_regions_rank_by_score(self, cards):
        table = rank_regions(region_scores(cards))
        assert [(row.rank, row.entry.region, row.entry.score) for row in table] == [
            (1, "640200", D("94.98")),
            (2, "640100", D("87.73")),
            (3, "640000", D("82.99")),
        ]


class TestRulesValidation:
    def test_weights_must_sum_to_100(self, sample_data):
        data = copy.deepcopy(sample_data)
        data["indicators"][0]["weight"] = 45
        assert problems_of(data) == ["indicators: weights must sum to 100, they sum to 95"]

    def test_decimal_weights_are_exact(self, sample_data):
        data = copy.deepcopy(sample_data)
        data["indicators"][0]["weight"] = "49.5"
        data["indicators"][1]["weight"] = 20.5
        assert sum(i.weight for i in ScoringRules.from_dict(data).indicators) == 100

    def test_unknown_kind(self, sample_data):
        data = copy.deepcopy(sample_data)
        data["indicators"][1]["kind"] = "citizen_satisfaction"
        (problem,) = problems_of(data)
        assert problem.startswith(
            "indicators[1].kind: unknown kind 'citizen_satisfaction' (known: "
        )

    def test_missing_params(self, sample_data):
        data = copy.deepcopy(sample_data)
        del data["indicators"][2]["params"]["scale_max"]
        del data["indicators"][3]["params"]
        assert problems_of(data) == [
            "indicators[2].params: missing 'scale_max'",
            "indicators[3].params: missing 'points_per_item'",
        ]

    @pytest.mark.parametrize(
        ("index", "params", "problem"),
        [
            (
                0,
                {"if_no_data": "half"},
                'indicators[0].params.if_no_data: expected "full" or "zero"',
            ),
            (
                3,
                {"points_per_item": 0},
                "indicators[3].params.points_per_item: expected a number > 0",
            ),
            (3, {"points_per_item": 2, "cap": 5}, "indicators[3].params: unknown key 'cap'"),
            (
                2,
                {"scale_min": 5, "scale_max": 1, "if_no_data": "zero"},
                "indicators[2].params: scale_min must be below scale_max",
            ),
            (
                2,
                {"scale_min": "low", "scale_max": 5, "if_no_data": "zero"},
                "scale_min: expected a number",
            ),
            (1, [], "indicators[1].params: expected an object"),
        ],
    )
    def test_bad_params(self, sample_data, index, params, problem):
        data = copy.deepcopy(sample_data)
        data["indicators"][index]["params"] = params
        (found,) = problems_of(data)
        assert problem in found

    @pytest.mark.parametrize(
        ("change", "problem"),
        [
            (lambda d: d.update(format="other/1"), "format: expected 'shuzheng-assessment/1'"),
            (lambda d: d.update(year="2023"), "year: expected a year such as 2023"),
            (lambda d: d.update(title=" "), "title: expected a non-empty text"),
            (lambda d: d.update(indicators=[]), "indicators: expected a non-empty list"),
            (lambda d: d.update(extra=1), "rules: unknown key 'extra'"),
            (lambda d: d["indicators"].append("x"), "indicators[4]: expected an object"),
            (
                lambda d: d["indicators"][0].update(weight=-5),
                "indicators[0].weight: expected a number > 0",
            ),
            (
                lambda d: d["indicators"][0].update(weight="NaN"),
                "indicators[0].weight: expected a number > 0",
            ),
            (
                lambda d: d["indicators"][0].update(id="report-timeliness"),
                "id 'report-timeliness' is used more than once",
            ),
            (
                lambda d: d["indicators"][0].pop("label"),
                "indicators[0].label: expected a non-empty text",
            ),
            (lambda d: d.update(tie_break=["speed"]), "tie_break: 'speed' is not an indicator id"),
            (lambda d: d.update(tie_break="speed"), "tie_break: expected a list of indicator ids"),
            (lambda d: d.update(grades={}), "grades: expected a list"),
            (lambda d: d["grades"].pop(), "grades: one grade must start at 0"),
            (
                lambda d: d["grades"][1].update(min_score=90),
                "grades: two grades start at the same score",
            ),
            (
                lambda d: d["grades"][1].update(min_score=120),
                "grades[1].min_score: expected a number from 0 to 100",
            ),
            (
                lambda d: d["grades"][1].update(rewarded="yes"),
                "grades[1].rewarded: expected true or false",
            ),
            (lambda d: d["grades"].append(7), "grades[4]: expected an object"),
        ],
    )
    def test_each_fault_is_named(self, sample_data, change, problem):
        data = copy.deepcopy(sample_data)
        change(data)
        assert any(problem in found for found in problems_of(data)), problems_of(data)

    def test_all_faults_are_listed_at_once(self, sample_data):
        data = copy.deepcopy(sample_data)
        data["year"] = None
        data["indicators"][0]["kind"] = "nope"
        data["tie_break"] = ["speed"]
        with pytest.raises(RulesError) as caught:
            ScoringRules.from_dict(data)
        assert len(caught.value.problems) == 3
        assert str(caught.value).startswith("invalid scoring rules: year: expected a year")

    def test_rules_must_be_an_object(self):
        assert problems_of([1, 2]) == ["the rules must be an object"]

    def test_a_file_that_is_not_json(self, tmp_path):
        path = tmp_path / "rules.json"
        path.write_text("{ weights: 100 }", encoding="utf-8")
        with pytest.raises(RulesError, match="not valid JSON"):
            load_rules(path)


# --- indicators of other apps (tasks.indicators; issue 15 point 4, issue 16 point 1) ------

RESPONSE = ExternalKind(
    "hotline.response_rate",
    "12345 hotline: response rate",
    "{met} of {due} hotline requests signed for within the response limit",
)


def with_external(sample_data, **params):
    """The sample rules with 10 points moved from the milestones to the response rate."""
    data = copy.deepcopy(sample_data)
    data["indicators"][0]["weight"] = 40
    data["indicators"].append(
        {
            "id": "hotline-response",
            "label": "12345热线响应率",
            "kind": "hotline.response_rate",
            "weight": 10,
            "params": {"if_no_data": "full"} | params,
        }
    )
    return data


class TestExternalIndicators:
    def test_the_score_moves_with_the_share_and_is_explained(self, sample_data):
        rules = ScoringRules.from_dict(with_external(sample_data), {RESPONSE.code: RESPONSE})
        assert rules.external_kinds == ("hotline.response_rate",)
        assert rules.indicators[-1].describe_kind() == "12345 hotline: response rate"
        low = score_unit(unit(external={RESPONSE.code: Share(3, 4)}), rules)
        high = score_unit(unit(external={RESPONSE.code: Share(4, 4)}), rules)
        assert low.points_of("hotline-response") == D("7.50")
        assert high.points_of("hotline-response") == D("10.00")
        assert high.total - low.total == D("2.50")
        assert low.lines[-1].explanation == (
            "3 of 4 hotline requests signed for within the response limit: "
            "75.00% × 10 = 7.50 points"
        )
        assert "12345热线响应率: 3 of 4 hotline requests" in low.explain()

    @pytest.mark.parametrize(("rule", "points"), [("full", D("10.00")), ("zero", D("0.00"))])
    def test_nothing_due_follows_the_rule(self, sample_data, rule, points):
        rules = ScoringRules.from_dict(
            with_external(sample_data, if_no_data=rule), {RESPONSE.code: RESPONSE}
        )
        line = score_unit(unit(external={RESPONSE.code: Share(0, 0)}), rules).lines[-1]
        assert line.points == points
        marks = {"full": "full marks", "zero": "no marks"}[rule]
        assert line.explanation == f"nothing fell due in the year, {marks} by rule: " + (
            f"{line.normalised * 100:.2f}% × 10 = {points} points"
        )
        assert score_unit(unit(), rules).lines[-1].points == points  # not measured at all

    def test_a_rule_naming_an_unregistered_indicator_is_refused(self, sample_data):
        data = with_external(sample_data)
        data["indicators"][-1]["kind"] = "hotline.answer_speed"
        with pytest.raises(RulesError) as caught:
            ScoringRules.from_dict(data, {RESPONSE.code: RESPONSE})
        assert caught.value.problems == [
            "indicators[4].kind: no app has registered the indicator 'hotline.answer_speed' "
            "(registered: hotline.response_rate)"
        ]
        (problem,) = problems_of(with_external(sample_data))  # nothing registered
        assert "'hotline.response_rate' (registered: —)" in problem

    def test_an_external_indicator_takes_only_if_no_data(self, sample_data):
        data = with_external(sample_data, points_per_item=2)
        with pytest.raises(RulesError, match=r"indicators\[4\]\.params: unknown key"):
            ScoringRules.from_dict(data, {RESPONSE.code: RESPONSE})

    def test_shares_and_codes_are_checked(self):
        with pytest.raises(ValueError, match="5 met of only 4"):
            Share(5, 4)
        with pytest.raises(ValueError, match="app.name"):
            ExternalKind("response_rate", "x", "y")
