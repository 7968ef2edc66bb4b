"""The vertical allocation (shuzheng.ecocomp.allocation): worked examples and properties."""

from decimal import Decimal as D
from decimal import localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shuzheng.ecocomp.allocation import (
    BOUND,
    PRECISION,
    ROUNDING,
    AllocationError,
    Band,
    Component,
    County,
    Kind,
    Problem,
    RuleSet,
    allocate,
    compare,
)

BANDS = (
    Band(D(0), D("0.2"), D("0.8")),
    Band(D("0.2"), D("0.5"), D("1.0")),
    Band(D("0.5"), None, D("1.2")),
)
COUNTIES = (
    County("A", "甲县", {"gap": D(300000), "redline": D("0.6"), "pop": D(10), "forest": D(500)}),
    County("B", "乙县", {"gap": D(200000), "redline": D("0.3"), "pop": D(30), "forest": D(300)}),
    County("C", "丙县", {"gap": D(100000), "redline": D("0.1"), "pop": D(60), "forest": D(200)}),
)


def rules(pop=D("0.4"), forest=D("0.6"), cap=None, floor=None):
    return RuleSet(
        fund=D(1000000),
        cap=cap,
        floor=floor,
        components=(
            Component("base", Kind.EQUAL, D("0.2"), source="sample"),
            Component(
                "key", Kind.GAP, D("0.5"), gap_factor="gap", band_factor="redline", bands=BANDS
            ),
            Component("guidance", Kind.FACTORS, D("0.3"), weights={"pop": pop, "forest": forest}),
        ),
    )


def test_three_counties_worked_by_hand():
    """Fund 1,000,000 yuan.

    Base 20 % = 200,000, equal: 66,666.67 each.
    Key subsidy 50 % = 500,000. Red-line shares 0.6 / 0.3 / 0.1 fall in the bands with
    coefficients 1.2 / 1.0 / 0.8, so the claims are 300,000 × 1.2 = 360,000, 200,000 × 1.0 =
    200,000 and 100,000 × 0.8 = 80,000 (sum 640,000): A 500,000 × 360/640 = 281,250,
    B 156,250, C 62,500.
    Guidance 30 % = 300,000: population (weight 0.4, 120,000) 10 / 30 / 60 → shares 0.1 / 0.3 /
    0.6 → 12,000 / 36,000 / 72,000; forest (weight 0.6, 180,000) 500 / 300 / 200 → 0.5 / 0.3 /
    0.2 → 90,000 / 54,000 / 36,000.
    Totals: A 449,916.67, B 312,916.67, C 237,166.67. Rounded down 449,916 + 312,916 +
    237,166 = 999,998; the 2 yuan left go to the largest fractions, all .67, ties by code:
    A and B. Result 449,917 / 312,917 / 237,166.
    """
    result = allocate(rules(), COUNTIES)
    assert result.amounts() == {"A": D(449917), "B": D(312917), "C": D(237166)}
    a = result.counties[0]
    parts = {key: value.quantize(D("0.01")) for key, value in a.by_component().items()}
    assert parts == {
        "base": D("66666.67"),
        "key": D("281250.00"),
        "guidance": D("102000.00"),
        ROUNDING: D("0.33"),
    }
    population = next(line for line in a.lines if line.factor == "pop")
    assert (population.value, population.share, population.weight, population.amount) == (
        D(10),
        D("0.1"),
        D("0.4"),
        D(12000),
    )
    key = next(line for line in a.lines if line.component == "key")
    assert (key.value, key.weight, key.share) == (D(300000), D("1.2"), D("0.5625"))


def test_what_if_one_weight_shows_who_gains_and_loses():
    """Population weight 0.4 → 0.6 (forest 0.4): guidance population 180,000 → 18,000 /
    54,000 / 108,000, forest 120,000 → 60,000 / 36,000 / 24,000; A loses 24,000, B stays,
    C gains 24,000."""
    before, after = allocate(rules(), COUNTIES), allocate(rules(D("0.6"), D("0.4")), COUNTIES)
    changes = compare(before, after)
    assert [(change.code, change.delta) for change in changes] == [
        ("C", D(24000)),
        ("B", D(0)),
        ("A", D(-24000)),
    ]
    line = next(line for line in after.counties[0].lines if line.factor == "pop")
    assert (line.weight, line.amount) == (D("0.6"), D(18000))


def test_rewards_and_deductions_are_funded_by_the_pool():
    """Fund 100,000: base 90 % → 45,000 each; A breaks the negative list (rate 0.1) and loses
    4,500; the pool 10,000 + 4,500 goes by score (A 0, B 80) to B: A 40,500, B 59,500."""
    ruleset = RuleSet(
        D(100000),
        (
            Component("base", Kind.EQUAL, D("0.9")),
            Component(
                "assessment",
                Kind.ADJUSTMENT,
                D("0.1"),
                deduction_factor="breach",
                score_factor="score",
            ),
        ),
    )
    counties = [
        County("A", "甲", {"breach": D("0.1"), "score": D(0)}),
        County("B", "乙", {"breach": D(0), "score": D(80)}),
    ]
    result = allocate(ruleset, counties)
    assert result.amounts() == {"A": D(40500), "B": D(59500)}
    assert [line.amount for line in result.counties[0].lines][1] == D(-4500)


def test_cap_holds_and_is_explained():
    result = allocate(rules(cap=D(400000)), COUNTIES)
    amounts = result.amounts()
    assert amounts["A"] == D(400000) and sum(amounts.values()) == D(1000000)
    assert max(amounts.values()) <= D(400000)
    bound = next(line for line in result.counties[0].lines if line.component == BOUND)
    assert bound.amount.quantize(D("0.01")) == D("-49916.67")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"pop": None}, Problem.MISSING),
        ({"forest": D(-1)}, Problem.NEGATIVE),
        ({"redline": D(-1)}, Problem.NEGATIVE),
    ],
)
def test_bad_factor_data_is_refused_by_county_and_factor(change, problem):
    counties = [COUNTIES[0], County("B", "乙县", {**COUNTIES[1].factors, **change}), COUNTIES[2]]
    with pytest.raises(AllocationError) as raised:
        allocate(rules(), counties)
    assert raised.value.problem == problem
    assert raised.value.params["county"] == "B"


def test_bad_rule_sets_are_refused():
    with pytest.raises(AllocationError) as raised:
        allocate(rules(pop=D("0.5")), COUNTIES)
    assert raised.value.problem == Problem.WEIGHTS
    with pytest.raises(AllocationError) as raised:
        allocate(rules(cap=D(300000)), COUNTIES)
    assert raised.value.problem == Problem.BOUNDS
    with pytest.raises(AllocationError) as raised:
        allocate(rules(), [*COUNTIES, COUNTIES[0]])
    assert raised.value.problem == Problem.DUPLICATE
    with pytest.raises(AllocationError) as raised:
        allocate(RuleSet(D("10.5"), (Component("base", Kind.EQUAL, D(1)),)), COUNTIES)
    assert raised.value.problem == Problem.WHOLE_YUAN


values = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False)


@st.composite
def cases(draw):
    n = draw(st.integers(1, 25))
    counties = [
        County(f"{i:03}", f"县{i}", {"x": draw(values), "y": draw(values) + 1, "g": draw(values)})
        for i in range(n)
    ]
    fund = D(draw(st.integers(0, 10**9)))
    floor = (fund / n * D(draw(st.integers(0, 100))) / 100).to_integral_value(
        rounding="ROUND_FLOOR"
    )
    cap_extra = draw(st.one_of(st.none(), st.integers(0, 10**8)))
    cap = (
        None
        if cap_extra is None
        else (fund / n).to_integral_value(rounding="ROUND_CEILING") + cap_extra
    )
    base, weight = D(draw(st.integers(0, 100))) / 100, D(draw(st.integers(0, 100))) / 100
    ruleset = RuleSet(
        fund,
        (
            Component("base", Kind.EQUAL, base),
            Component("f", Kind.FACTORS, 1 - base, weights={"x": weight, "y": 1 - weight}),
        ),
        cap=cap,
        floor=floor if draw(st.booleans()) else None,
    )
    return ruleset, counties


@settings(max_examples=60, deadline=None)
@given(cases())
def test_sums_caps_and_floors_hold(case):
    ruleset, counties = case
    try:
        result = allocate(ruleset, counties)
    except AllocationError as error:
        assert error.problem == Problem.ALL_ZERO
        return
    amounts = list(result.amounts().values())
    assert sum(amounts) == ruleset.fund
    assert all(amount == amount.to_integral_value() for amount in amounts)
    if ruleset.cap is not None:
        assert max(amounts) <= ruleset.cap
    if ruleset.floor is not None:
        assert min(amounts) >= ruleset.floor
    with localcontext() as context:
        context.prec = PRECISION
        for county in result.counties:
            assert abs(sum(line.amount for line in county.lines) - county.amount) < D("1e-30")
