"""Horizontal compensation by water quality (shuzheng.ecocomp.horizontal): one worked example
per rule kind, and gaps and suspect values flagged rather than used."""

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from shuzheng.ecocomp.horizontal import (
    FLAG_INCOMPLETE,
    FLAG_MISSING,
    FLAG_SUSPECT,
    Sample,
    Sides,
    class_threshold,
    class_with_change,
    inbound_comparison,
    load_limits,
    p_index,
    water_class,
)

LIMITS = load_limits()
MONTHS = [f"2024-{month:02}" for month in range(1, 13)]


def year(value, months=MONTHS):
    return [Sample(month, D(value)) for month in months]


XINANJIANG = {
    "baselines": {"codmn": D("2.0"), "nh3n": D("0.4"), "tn": D("1.0"), "tp": D("0.05")},
    "weights": {"codmn": D("0.25"), "nh3n": D("0.25"), "tn": D("0.25"), "tp": D("0.25")},
    "amount": D(100000000),
}
SIDES = Sides("安徽", "浙江")


def xinanjiang_year():
    return {"codmn": year("2.0"), "nh3n": year("0.5"), "tn": year("1.1"), "tp": year("0.05")}


def test_p_index_year_worked_by_hand():
    """Annual means 2.0 / 0.5 / 1.1 / 0.05 against baselines 2.0 / 0.4 / 1.0 / 0.05: ratios
    1.0, 1.25, 1.1, 1.0; Σ 0.25 × ratio = 1.0875; with K0 = 0.85, P = 0.924375 ≤ 1 and the
    downstream side (浙江) pays the upstream side (安徽) 1亿; with K0 = 0.95, P = 1.033125 > 1
    and 安徽 pays 浙江."""
    good = p_index("街口", SIDES, xinanjiang_year(), k0=D("0.85"), **XINANJIANG)
    assert (good.payer, good.payee, good.amount, good.complete) == (
        "浙江",
        "安徽",
        D(100000000),
        True,
    )
    assert good.lines[-1] == ("P", "K0=0.85 × 1.0875 = 0.9244")
    bad = p_index("街口", SIDES, xinanjiang_year(), k0=D("0.95"), **XINANJIANG)
    assert (bad.payer, bad.payee) == ("安徽", "浙江")
    assert bad.lines[-1] == ("P", "K0=0.95 × 1.0875 = 1.0331")


def test_gaps_and_suspect_values_are_flagged_not_used():
    data = xinanjiang_year()
    data["tp"] = [
        *year("0.05", MONTHS[:10]),
        Sample(MONTHS[10], None),
        Sample(MONTHS[11], D("9"), suspect=True),
    ]
    settlement = p_index("街口", SIDES, data, k0=D("0.85"), **XINANJIANG)
    assert not settlement.complete and settlement.amount == 0 and settlement.payer == ""
    assert [flag.message for flag in settlement.flags] == [
        FLAG_MISSING,
        FLAG_SUSPECT,
        FLAG_INCOMPLETE,
    ]
    assert "2024-11" in str(settlement.flags[0]) and "9" in str(settlement.flags[1])
    lenient = p_index("街口", SIDES, data, k0=D("0.85"), min_samples=10, **XINANJIANG)
    assert lenient.complete and lenient.payer == "浙江" and len(lenient.flags) == 2


def test_class_month_with_the_change_component_at_its_cap():
    """One month at 刘庄: COD 14 (Class I), 氨氮 0.4 (II), 总磷 0.08 (II) → Class II, one
    better than the target III: the class part is 1 × 5,000,000. Index against the Class III
    limits 14/20 + 0.4/1.0 + 0.08/0.2 = 0.7 + 0.4 + 0.4 = 1.5, baseline 2.0: it fell 25 %, 25
    points × 100,000 = 2,500,000, capped at 2,000,000. 山东 pays 河南 7,000,000."""
    data = {
        "cod": year("14", MONTHS[:1]),
        "nh3n": year("0.4", MONTHS[:1]),
        "tp": year("0.08", MONTHS[:1]),
    }
    settlement = class_with_change(
        "刘庄",
        Sides("河南", "山东"),
        data,
        LIMITS,
        target_class=3,
        per_class=D(5000000),
        change_indicators=["cod", "nh3n", "tp"],
        standards={"cod": D(20), "nh3n": D("1.0"), "tp": D("0.2")},
        baseline_index=D("2.0"),
        per_point=D(100000),
        change_cap=D(2000000),
    )
    assert (settlement.payer, settlement.payee, settlement.amount) == ("山东", "河南", D(7000000))
    assert settlement.lines[-1] == ("change", "2000000 (cap)")


def test_class_month_worse_than_target_reverses_the_payment():
    """COD 25 → Class IV, one worse than III: −5,000,000; index 25/20 + 0.4 + 0.4 = 2.05 rose
    2.5 % → −2 points × 100,000 = −200,000: 河南 pays 山东 5,200,000."""
    data = {
        "cod": year("25", MONTHS[:1]),
        "nh3n": year("0.4", MONTHS[:1]),
        "tp": year("0.08", MONTHS[:1]),
    }
    settlement = class_with_change(
        "刘庄",
        Sides("河南", "山东"),
        data,
        LIMITS,
        target_class=3,
        per_class=D(5000000),
        change_indicators=["cod", "nh3n", "tp"],
        standards={"cod": D(20), "nh3n": D("1.0"), "tp": D("0.2")},
        baseline_index=D("2.0"),
        per_point=D(100000),
        change_cap=D(2000000),
    )
    assert (settlement.payer, settlement.payee, settlement.amount) == ("河南", "山东", D(5200000))


def test_wufosi_year():
    """五佛寺 as published (甘肃—宁夏 agreement of 2023, neutral at Class II): annual means
    高锰酸盐指数 3.0, 氨氮 0.3, 总磷 0.09 are all Class II — neither side pays; 高锰酸盐指数 1.8,
    氨氮 0.12, 总磷 0.015 are all Class I — 宁夏 (downstream) pays 甘肃 5,000万; 总磷 0.12
    (Class III) — 甘肃 pays 宁夏 5,000万."""
    sides = Sides("甘肃", "宁夏")
    amount = D(50000000)

    def settle(data):
        return class_threshold(
            "五佛寺",
            sides,
            data,
            LIMITS,
            threshold_class=2,
            amount=amount,
            neutral_at_threshold=True,
        )

    met = settle({"codmn": year("3.0"), "nh3n": year("0.3"), "tp": year("0.09")})
    assert (met.payer, met.payee, met.amount, met.complete) == ("", "", D(0), True)
    assert met.lines == (("class", "2 (codmn) vs 2"),)
    better = settle({"codmn": year("1.8"), "nh3n": year("0.12"), "tp": year("0.015")})
    assert (better.payer, better.payee, better.amount) == ("宁夏", "甘肃", amount)
    worse = settle({"codmn": year("3.0"), "nh3n": year("0.3"), "tp": year("0.12")})
    assert (worse.payer, worse.payee, worse.amount, worse.lines) == (
        "甘肃",
        "宁夏",
        amount,
        (("class", "3 (tp) vs 2"),),
    )


def test_class_threshold_without_a_neutral_class_pays_either_way():
    """Pay-either-way (the issue's reading): Class II or better, downstream pays."""
    sides = Sides("甘肃", "宁夏")
    data = {"codmn": year("3.0"), "nh3n": year("0.3"), "tp": year("0.09")}
    good = class_threshold("五佛寺", sides, data, LIMITS, threshold_class=2, amount=D(50000000))
    assert (good.payer, good.payee, good.amount) == ("宁夏", "甘肃", D(50000000))
    data["tp"] = year("0.12")
    bad = class_threshold("五佛寺", sides, data, LIMITS, threshold_class=2, amount=D(50000000))
    assert (bad.payer, bad.payee, bad.lines) == ("甘肃", "宁夏", (("class", "3 (tp) vs 2"),))


def test_ditch_against_its_inbound_section():
    inbound = {"nh3n": year("0.9", MONTHS[:3])}
    worse = {"nh3n": year("1.8", MONTHS[:3])}
    settlement = inbound_comparison(
        "第三排水沟入黄口", "第三排水沟上游", "平罗县", "下游", worse, inbound, LIMITS, D(1000000)
    )
    assert (settlement.payer, settlement.payee, settlement.amount) == ("平罗县", "下游", D(2000000))
    same = inbound_comparison(
        "第三排水沟入黄口", "第三排水沟上游", "平罗县", "下游", inbound, inbound, LIMITS, D(1000000)
    )
    assert (same.payer, same.amount) == ("", D(0))


concentrations = st.decimals(min_value=0, max_value=5, places=3)


@settings(max_examples=60, deadline=None)
@given(st.lists(concentrations, min_size=1, max_size=12), st.integers(0, 200))
def test_change_component_never_exceeds_its_cap(values, baseline):
    data = {
        key: [Sample(f"m{i}", value) for i, value in enumerate(values)]
        for key in ("cod", "nh3n", "tp")
    }
    settlement = class_with_change(
        "s",
        Sides("u", "d"),
        data,
        LIMITS,
        target_class=3,
        per_class=D(0),
        change_indicators=["cod", "nh3n", "tp"],
        standards={"cod": D(20), "nh3n": D("1.0"), "tp": D("0.2")},
        baseline_index=D(baseline + 1) / 10,
        per_point=D(100000),
        change_cap=D(4000000),
    )
    assert settlement.amount <= D(4000000)


def test_water_class_is_the_worst_indicator():
    assert water_class({"cod": D(14), "tp": D("0.5")}, LIMITS) == (6, "tp")
    assert water_class({"nh3n": D("0.15")}, LIMITS) == (1, "nh3n")
