"""Vertical allocation of an ecological compensation fund to counties (纵向补偿), no Django.

Sources. 宁党办〔2023〕32号 measures （八）–（九） ask Ningxia to allocate its compensation funds
by factors: ecological red-line and ecological-space control areas, coefficients for sensitive
and fragile areas, reductions for counties that break the industry negative list; measure （十九）
ties the allocation to an assessment of duties. The central method 财预〔2022〕59号
(《中央对地方重点生态功能区转移支付办法》) fixes the components: 重点补助 (standard fiscal gap ×
a coefficient set in bands), 禁止开发区补助, 引导性补助, and 考核评价奖惩资金. Every figure —
the fund, the component shares, the weights, the bands, caps and floors — is an argument with
its source (:class:`Component.source`), never a constant here.

The arithmetic. Each component receives ``fund × share`` (the shares sum to 1) and divides it:

* ``equal`` — the same part for every county (the base, 基础补助);
* ``factors`` — per factor ``f`` with weight ``w_f`` (weights sum to 1), a county's normalised
  share ``x_cf / Σ x_f`` times ``w_f`` times the component's budget; one explanation line per
  factor: factor value → normalised share → weight → amount;
* ``gap`` — 重点补助: a county's claim is its standard fiscal gap × the coefficient of the band
  its band factor (e.g. the red-line share of its area) falls in; the budget is divided in
  proportion to the claims;
* ``adjustment`` — 奖惩: first each county loses ``deduction rate × its amount so far``
  (negative-list breaches, 逆向关联); then the component's budget plus the deductions is divided
  in proportion to the counties' reward scores (the assessment of measure （十九））. With
  score bands (:class:`ScoreBand`, 考评挂钩) the score first falls in a band: the band's
  deduction rate takes its share of the amount so far into the pool too, and the reward is in
  proportion to score × the band's reward coefficient — lines: deduction, band deduction,
  score → band coefficient → share → reward.

Caps and floors (whole yuan) apply to the totals: a county above its cap is set to it, one below
its floor is raised to it, and the others are scaled by one common factor so that the total is
still the fund (see :func:`_bound`). Rounding to the yuan uses the largest-remainder rule:
every county gets its amount rounded down, and the yuan left over go one each to the counties
with the largest fractional parts, ties broken by county code — so the amounts sum exactly to
the fund and whole-yuan caps and floors still hold.

Worked example (tests/ecocomp/test_allocation.py): fund 1,000,000 yuan, three counties, base
20 % equal, key subsidy 50 % on gaps 300,000 / 200,000 / 100,000 with coefficients 1.2 / 1.0 /
0.8 by band, guidance 30 % on population (weight 0.4) and forest area (0.6) →
449,917 / 312,917 / 237,166 yuan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, localcontext
from enum import StrEnum
from typing import NamedTuple

from shuzheng.text.translation import gettext_noop

ZERO = Decimal(0)
ONE = Decimal(1)
YUAN = Decimal(1)
PRECISION = 50


class Kind(StrEnum):
    """How a component divides its budget."""

    EQUAL = "equal"
    FACTORS = "factors"
    GAP = "gap"
    ADJUSTMENT = "adjustment"


class Problem(StrEnum):
    """Why a rule set or its factor data cannot be allocated; worded in :data:`MESSAGES`."""

    SHARES = "shares"
    WEIGHTS = "weights"
    MISSING = "missing"
    NEGATIVE = "negative"
    ALL_ZERO = "all_zero"
    NO_BAND = "no_band"
    WHOLE_YUAN = "whole_yuan"
    BOUNDS = "bounds"
    NO_COUNTY = "no_county"
    DUPLICATE = "duplicate"


MESSAGES = {
    Problem.SHARES: gettext_noop("The component shares sum to {total}, not 1."),
    Problem.WEIGHTS: gettext_noop(
        "The factor weights of component {component} sum to {total}, not 1."
    ),
    Problem.MISSING: gettext_noop("County {county} has no value for factor {factor}."),
    Problem.NEGATIVE: gettext_noop(
        "County {county} has a negative value for factor {factor}: {value}."
    ),
    Problem.ALL_ZERO: gettext_noop(
        "Factor {factor} of component {component} is zero for every county."
    ),
    Problem.NO_BAND: gettext_noop(
        "County {county}: no coefficient band of component {component} holds {value}."
    ),
    Problem.WHOLE_YUAN: gettext_noop("The fund, caps and floors must be whole yuan: {value}."),
    Problem.BOUNDS: gettext_noop(
        "The caps and floors cannot hold: the fund {fund} is outside {low}–{high}."
    ),
    Problem.NO_COUNTY: gettext_noop("There is no county to allocate to."),
    Problem.DUPLICATE: gettext_noop("County {county} is listed twice."),
}


class AllocationError(ValueError):
    """A rule set or factor data that cannot be allocated, with the code and its parameters."""

    def __init__(self, problem: Problem, **params):
        self.problem, self.params = problem, params
        super().__init__(MESSAGES[problem].format(**params))


@dataclass(frozen=True)
class Band:
    """Coefficient for band-factor values in ``[lower, upper)`` (``upper`` None: no limit)."""

    lower: Decimal
    upper: Decimal | None
    coefficient: Decimal

    def holds(self, value: Decimal) -> bool:
        return value >= self.lower and (self.upper is None or value < self.upper)


@dataclass(frozen=True)
class ScoreBand:
    """考评 band (measure （十九）): assessment scores in ``[lower, upper)`` weigh their reward
    by ``reward`` and lose ``deduction`` × the county's amount so far; ``name`` as the rule
    set gives it (e.g. 优秀)."""

    lower: Decimal
    upper: Decimal | None
    reward: Decimal
    deduction: Decimal = Decimal(0)
    name: str = ""

    def holds(self, value: Decimal) -> bool:
        return value >= self.lower and (self.upper is None or value < self.upper)


@dataclass(frozen=True)
class Component:
    """One part of the fund: ``share`` of it, divided by ``kind``; ``source`` names the
    document its parameters come from (e.g. "财预〔2022〕59号 第六条")."""

    key: str
    kind: Kind
    share: Decimal
    source: str = ""
    #: factors: factor key → weight (sum 1).
    weights: Mapping[str, Decimal] = field(default_factory=dict)
    #: gap: the factor holding the standard fiscal gap, the band factor and its bands.
    gap_factor: str = ""
    band_factor: str = ""
    bands: Sequence[Band] = ()
    #: adjustment: the factor with each county's deduction rate and the one with its score.
    deduction_factor: str = ""
    score_factor: str = ""
    #: adjustment: the bands of the score (考评挂钩); none: the reward is by the score alone.
    score_bands: Sequence[ScoreBand] = ()


@dataclass(frozen=True)
class RuleSet:
    """A year's rules for one fund; ``cap`` / ``floor`` bound each county's total (whole yuan)."""

    fund: Decimal
    components: Sequence[Component]
    cap: Decimal | None = None
    floor: Decimal | None = None


@dataclass(frozen=True)
class County:
    code: str
    name: str
    factors: Mapping[str, Decimal]


class Line(NamedTuple):
    """One step of a county's amount: in ``component``, ``factor``'s ``value`` gives the
    normalised ``share`` which with ``weight`` gives ``amount`` (unrounded yuan). A named
    tuple: a run over thousands of counties makes tens of thousands of lines."""

    component: str
    factor: str
    value: Decimal
    share: Decimal
    weight: Decimal
    amount: Decimal


@dataclass(frozen=True)
class CountyAmount:
    code: str
    name: str
    amount: Decimal
    lines: tuple[Line, ...]

    def by_component(self) -> dict[str, Decimal]:
        parts: dict[str, Decimal] = {}
        for line in self.lines:
            parts[line.component] = parts.get(line.component, ZERO) + line.amount
        return parts


@dataclass(frozen=True)
class Allocation:
    fund: Decimal
    counties: tuple[CountyAmount, ...]

    def amounts(self) -> dict[str, Decimal]:
        return {county.code: county.amount for county in self.counties}


#: Pseudo-factors of the lines that are not a factor's part.
EQUAL_PART = "equal"
DEDUCTION = "deduction"
#: The band deduction line of an adjustment: value the score, share the band's rate.
ASSESSMENT_BAND = "assessment_band"
BOUND = "cap_or_floor"
ROUNDING = "rounding"


def _whole(value: Decimal | None) -> None:
    if value is not None and value != value.to_integral_value():
        raise AllocationError(Problem.WHOLE_YUAN, value=value)


def _value(county: County, factor: str) -> Decimal:
    value = county.factors.get(factor)
    if value is None:
        raise AllocationError(Problem.MISSING, county=county.code, factor=factor)
    if value.__class__ is not Decimal:
        value = Decimal(value)
    if value < 0:
        raise AllocationError(Problem.NEGATIVE, county=county.code, factor=factor, value=value)
    return value


def _check(rules: RuleSet, counties: Sequence[County]) -> None:
    if not counties:
        raise AllocationError(Problem.NO_COUNTY)
    seen: set[str] = set()
    for county in counties:
        if county.code in seen:
            raise AllocationError(Problem.DUPLICATE, county=county.code)
        seen.add(county.code)
    for value in (rules.fund, rules.cap, rules.floor):
        _whole(value)
    total = sum((component.share for component in rules.components), ZERO)
    if total != ONE:
        raise AllocationError(Problem.SHARES, total=total)
    for component in rules.components:
        if component.kind == Kind.FACTORS:
            weights = sum(component.weights.values(), ZERO)
            if weights != ONE:
                raise AllocationError(Problem.WEIGHTS, component=component.key, total=weights)
    count = len(counties)
    low = (rules.floor or ZERO) * count
    high = rules.cap * count if rules.cap is not None else None
    if rules.fund < low or (high is not None and rules.fund > high):
        raise AllocationError(
            Problem.BOUNDS, fund=rules.fund, low=low, high=high if high is not None else "∞"
        )


def _proportional(budget: Decimal, claims: Sequence[Decimal]) -> list[Decimal]:
    total = sum(claims, ZERO)
    if total == 0:
        return [budget / len(claims)] * len(claims)
    return [budget * claim / total for claim in claims]


def _component_lines(
    component: Component, budget: Decimal, counties: Sequence[County], sofar: list[Decimal]
):
    """Per county, the lines of ``component`` (the adjustment needs the amounts ``sofar``)."""
    n = len(counties)
    if component.kind == Kind.EQUAL:
        part = budget / n
        return [[Line(component.key, EQUAL_PART, ONE, ONE / n, ONE, part)] for _ in counties]
    if component.kind == Kind.FACTORS:
        lines: list[list[Line]] = [[] for _ in counties]
        for factor, weight in component.weights.items():
            values = [_value(county, factor) for county in counties]
            total = sum(values, ZERO)
            if total == 0:
                raise AllocationError(Problem.ALL_ZERO, factor=factor, component=component.key)
            scale = budget * weight  # the same product as budget * weight * share, once
            key = component.key
            for county_lines, value in zip(lines, values, strict=True):
                share = value / total
                county_lines.append(Line(key, factor, value, share, weight, scale * share))
        return lines
    if component.kind == Kind.GAP:
        claims, coefficients, gaps = [], [], []
        for county in counties:
            gap, banded = (
                _value(county, component.gap_factor),
                _value(county, component.band_factor),
            )
            band = next((band for band in component.bands if band.holds(banded)), None)
            if band is None:
                raise AllocationError(
                    Problem.NO_BAND, county=county.code, component=component.key, value=banded
                )
            claims.append(gap * band.coefficient)
            gaps.append(gap)
            coefficients.append(band.coefficient)
        total = sum(claims, ZERO)
        if total == 0:
            raise AllocationError(
                Problem.ALL_ZERO, factor=component.gap_factor, component=component.key
            )
        return [
            [
                Line(
                    component.key,
                    component.gap_factor,
                    gap,
                    claim / total,
                    coefficient,
                    budget * claim / total,
                )
            ]
            for gap, claim, coefficient in zip(gaps, claims, coefficients, strict=True)
        ]
    # Kind.ADJUSTMENT: deductions first (the negative list's rate, the score band's), then
    # the pool by reward score × the band's reward coefficient.
    key = component.key
    rates = [_value(county, component.deduction_factor) for county in counties]
    scores = [_value(county, component.score_factor) for county in counties]
    bands: list[ScoreBand | None] = [None] * n
    if component.score_bands:
        for index, (county, score) in enumerate(zip(counties, scores, strict=True)):
            band = next((band for band in component.score_bands if band.holds(score)), None)
            if band is None:
                raise AllocationError(
                    Problem.NO_BAND, county=county.code, component=key, value=score
                )
            bands[index] = band
    deductions = [rate * amount for rate, amount in zip(rates, sofar, strict=True)]
    band_deductions = [
        band.deduction * amount if band is not None else ZERO
        for band, amount in zip(bands, sofar, strict=True)
    ]
    weighted = [
        score * band.reward if band is not None else score
        for score, band in zip(scores, bands, strict=True)
    ]
    pool = budget + sum(deductions, ZERO) + sum(band_deductions, ZERO)
    total = sum(weighted, ZERO)
    rewards = _proportional(pool, weighted)
    result = []
    for rate, deduction, score, band, band_deduction, weight, reward in zip(
        rates, deductions, scores, bands, band_deductions, weighted, rewards, strict=True
    ):
        county_lines = [Line(key, component.deduction_factor, rate, ONE, ONE, -deduction)]
        if band is not None and band.deduction:
            county_lines.append(
                Line(key, ASSESSMENT_BAND, score, band.deduction, ONE, -band_deduction)
            )
        county_lines.append(
            Line(
                key,
                component.score_factor,
                score,
                weight / total if total else ONE / n,
                band.reward if band is not None else ONE,
                reward,
            )
        )
        result.append(county_lines)
    return result


def _clamp(value: Decimal, floor: Decimal | None, cap: Decimal | None) -> Decimal:
    if floor is not None and value < floor:
        return floor
    if cap is not None and value > cap:
        return cap
    return value


def _bound(
    amounts: list[Decimal], fund: Decimal, cap: Decimal | None, floor: Decimal | None
) -> list[Decimal]:
    """The amounts within ``[floor, cap]``, still summing to ``fund``: every county gets
    ``clamp(t × amount)`` for the one scale ``t`` that makes the sum the fund (the sum grows
    with ``t`` and is linear between the points where a county reaches a bound, so ``t`` is
    found by bisection over those points and interpolation). Counties with nothing stay at
    the floor unless everybody else is at the cap; then they share the rest equally."""
    if all(_clamp(amount, floor, cap) == amount for amount in amounts):
        return list(amounts)

    def total(t: Decimal) -> Decimal:
        return sum((_clamp(t * amount, floor, cap) for amount in amounts), ZERO)

    points = sorted(
        {ZERO, ONE}
        | {
            bound / amount
            for amount in amounts
            if amount > 0
            for bound in (floor, cap)
            if bound is not None
        }
    )
    if total(points[-1]) < fund:
        zero = [index for index, amount in enumerate(amounts) if amount <= 0]
        result = [_clamp(points[-1] * amount, floor, cap) for amount in amounts]
        rest = (fund - sum(result, ZERO)) / len(zero)
        for index in zero:
            result[index] += rest
        return result
    low, high = 0, len(points) - 1
    while high - low > 1:
        middle = (low + high) // 2
        if total(points[middle]) <= fund:
            low = middle
        else:
            high = middle
    start, end = total(points[low]), total(points[high])
    t = (
        points[low]
        if end == start
        else points[low] + (fund - start) * (points[high] - points[low]) / (end - start)
    )
    return [_clamp(t * amount, floor, cap) for amount in amounts]


def largest_remainder(
    amounts: Sequence[Decimal], codes: Sequence[str], total: Decimal
) -> list[Decimal]:
    """``amounts`` (summing to the whole-yuan ``total``) in whole yuan summing to ``total``:
    each rounded down, then one yuan each to the largest fractional parts, ties by code."""
    floors = [amount.to_integral_value(rounding=ROUND_FLOOR) for amount in amounts]
    left = int(total - sum(floors, ZERO))
    order = sorted(
        range(len(amounts)), key=lambda index: (-(amounts[index] - floors[index]), codes[index])
    )
    for index in order[:left]:
        floors[index] += YUAN
    return floors


def allocate(rules: RuleSet, counties: Iterable[County]) -> Allocation:
    """Divide ``rules.fund`` among ``counties``; raises :class:`AllocationError`."""
    counties = sorted(counties, key=lambda county: county.code)
    _check(rules, counties)
    with localcontext() as context:
        context.prec = PRECISION
        lines: list[list[Line]] = [[] for _ in counties]
        sofar = [ZERO] * len(counties)
        for component in rules.components:
            parts = _component_lines(component, rules.fund * component.share, counties, sofar)
            for index, county_lines in enumerate(parts):
                lines[index].extend(county_lines)
                sofar[index] += sum((line.amount for line in county_lines), ZERO)
        bounded = _bound(sofar, rules.fund, rules.cap, rules.floor)
        rounded = largest_remainder(bounded, [county.code for county in counties], rules.fund)
        result = []
        for index, county in enumerate(counties):
            extra = []
            if bounded[index] != sofar[index]:
                extra.append(
                    Line(BOUND, BOUND, sofar[index], ONE, ONE, bounded[index] - sofar[index])
                )
            if rounded[index] != bounded[index]:
                extra.append(
                    Line(
                        ROUNDING,
                        ROUNDING,
                        bounded[index],
                        ONE,
                        ONE,
                        rounded[index] - bounded[index],
                    )
                )
            result.append(
                CountyAmount(county.code, county.name, rounded[index], tuple(lines[index] + extra))
            )
        return Allocation(rules.fund, tuple(result))


@dataclass(frozen=True)
class Change:
    """A county's amount before and after (a what-if, or last year against this year)."""

    code: str
    name: str
    before: Decimal
    after: Decimal

    @property
    def delta(self) -> Decimal:
        return self.after - self.before


def compare(before: Allocation, after: Allocation) -> list[Change]:
    """Who gains and who loses from ``before`` to ``after``, largest gain first; a county
    present in one only counts 0 in the other."""
    old = {county.code: county for county in before.counties}
    new = {county.code: county for county in after.counties}
    changes = [
        Change(
            code,
            (new.get(code) or old[code]).name,
            old[code].amount if code in old else ZERO,
            new[code].amount if code in new else ZERO,
        )
        for code in sorted(old.keys() | new.keys())
    ]
    return sorted(changes, key=lambda change: (-change.delta, change.code))
