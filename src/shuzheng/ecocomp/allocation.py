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

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, localcontext
from enum import StrEnum
from operator import itemgetter
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


class CountyAmount:
    """A county's whole-yuan ``amount`` and the ``lines`` that explain it.

    The lines are built on first access (issue 12's benchmark: a 3,000-township run has
    63,000 of them and a what-if sweep keeps 20 runs; building them all up front was most of
    the run's time). A lazy county keeps only its index into its run's column arrays
    (:class:`_Explainer`) and renders its lines from the very numbers the amount was summed
    from, in the same 50-digit context — so the lines are exactly the same as if they had been
    built eagerly, and still sum to the amount before bounds and rounding."""

    __slots__ = ("_explainer", "_index", "_lines", "amount", "code", "name")

    def __init__(
        self,
        code: str,
        name: str,
        amount: Decimal,
        lines: Sequence[Line] | None = None,
        *,
        explainer: _Explainer | None = None,
        index: int = 0,
    ):
        self.code, self.name, self.amount = code, name, amount
        self._lines = tuple(lines) if lines is not None else None
        self._explainer, self._index = explainer, index

    @property
    def lines(self) -> tuple[Line, ...]:
        if self._lines is None:
            self._lines = self._explainer.lines(self._index, self.amount)
            self._explainer = None
        return self._lines

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CountyAmount):
            return NotImplemented
        return (self.code, self.name, self.amount, self.lines) == (
            other.code,
            other.name,
            other.amount,
            other.lines,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable cache; compared by value

    def __repr__(self) -> str:
        return f"CountyAmount({self.code!r}, {self.name!r}, {self.amount!r})"

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


class _Table:
    """The factor values of all counties, read in one pass (one ``itemgetter`` call per
    county instead of one dictionary lookup per county and factor); ``columns`` is empty when
    a county lacks one of the factors, and :func:`_column` then reads county by county so that
    the error names the first county at fault."""

    def __init__(self, counties: Sequence[County], factors: Sequence[str]):
        self.counties = counties
        self.columns: dict[str, tuple] = {}
        factors = list(dict.fromkeys(factor for factor in factors if factor))
        if not factors:
            return
        getter = itemgetter(*factors)
        try:
            rows = [getter(county.factors) for county in counties]
        except (KeyError, TypeError):
            return
        if len(factors) == 1:
            self.columns = {factors[0]: tuple(rows)}
        else:
            self.columns = dict(zip(factors, zip(*rows, strict=True), strict=True))

    def column(self, factor: str) -> Sequence[Decimal]:
        """``factor``'s values in county order, checked as :func:`_value` checks them."""
        values = self.columns.get(factor)
        if values is not None and set(map(type, values)) == {Decimal} and min(values) >= 0:
            return values
        return [_value(county, factor) for county in self.counties]

    def columns_of(self, *factors: str) -> list[Sequence[Decimal]]:
        """Several factors' columns; on a problem the check runs county by county (each
        county's factors in turn), so the first county at fault is the one named."""
        columns = [self.columns.get(factor) for factor in factors]
        if all(
            values is not None and set(map(type, values)) == {Decimal} and min(values) >= 0
            for values in columns
        ):
            return columns
        rows = [[_value(county, factor) for factor in factors] for county in self.counties]
        return [list(column) for column in zip(*rows, strict=True)]


def _factor_names(rules: RuleSet) -> list[str]:
    names: list[str] = []
    for component in rules.components:
        names.extend(component.weights)
        names += [
            component.gap_factor,
            component.band_factor,
            component.deduction_factor,
            component.score_factor,
        ]
    return names


def _band(bands: Sequence[Band] | Sequence[ScoreBand], value: Decimal):
    for band in bands:
        if band.holds(value):
            return band
    return None


class _Part(NamedTuple):
    """One component's result: per county the sum of its lines (``ZERO`` + each line's
    amount in order, as :func:`sum` adds them), and how to render county ``i``'s lines given
    its amount before the component. A part keeps references to the factor columns and a few
    totals, not per-county numbers: on Python 3.13 every Decimal is tracked by the garbage
    collector, and thousands of kept Decimals per run made full collections most of a
    what-if sweep's time."""

    amounts: list[Decimal]
    render: Callable[[int, Decimal], list[Line]]


def _equal(component: Component, budget: Decimal, n: int) -> _Part:
    part, share, key = budget / n, ONE / n, component.key
    total = ZERO + part
    return _Part([total] * n, lambda i, _: [Line(key, EQUAL_PART, ONE, share, ONE, part)])


def _factors(component: Component, budget: Decimal, table: _Table) -> _Part:
    key = component.key
    columns = []  # (factor, weight, values, total, scale)
    for factor, weight in component.weights.items():
        values = table.column(factor)
        total = sum(values, ZERO)
        if total == 0:
            raise AllocationError(Problem.ALL_ZERO, factor=factor, component=key)
        scale = budget * weight  # the same product as budget * weight * share, once
        columns.append((factor, weight, values, total, scale))
    # County by county, so that each county's temporaries die at once and only its sum
    # outlives the loop (column by column, 3,000 partial sums per factor were alive at each
    # collection and promoted to the older generations).
    sums = [(values, total, scale) for _, _, values, total, scale in columns]
    amounts = []
    for i in range(len(table.counties)):
        amount = ZERO
        for values, total, scale in sums:
            amount = amount + scale * (values[i] / total)
        amounts.append(amount)

    def render(i: int, _: Decimal) -> list[Line]:
        lines = []
        for factor, weight, values, total, scale in columns:
            share = values[i] / total
            lines.append(Line(key, factor, values[i], share, weight, scale * share))
        return lines

    return _Part(amounts, render)


def _gap(component: Component, budget: Decimal, table: _Table) -> _Part:
    key, counties = component.key, table.counties
    gaps, banded = table.columns_of(component.gap_factor, component.band_factor)
    coefficients = []
    for county, value in zip(counties, banded, strict=True):
        band = _band(component.bands, value)
        if band is None:
            raise AllocationError(Problem.NO_BAND, county=county.code, component=key, value=value)
        coefficients.append(band.coefficient)
    claims = [gap * coefficient for gap, coefficient in zip(gaps, coefficients, strict=True)]
    total = sum(claims, ZERO)
    if total == 0:
        raise AllocationError(Problem.ALL_ZERO, factor=component.gap_factor, component=key)
    amounts = [ZERO + budget * claim / total for claim in claims]
    del claims  # recomputed (exactly) when a county's lines are rendered

    def render(i: int, _: Decimal) -> list[Line]:
        gap, coefficient = gaps[i], coefficients[i]
        claim = gap * coefficient
        share, amount = claim / total, budget * claim / total
        return [Line(key, component.gap_factor, gap, share, coefficient, amount)]

    return _Part(amounts, render)


def _adjustment(
    component: Component, budget: Decimal, table: _Table, sofar: list[Decimal]
) -> _Part:
    """Deductions first (the negative list's rate, the score band's), then the pool by
    reward score × the band's reward coefficient."""
    key, counties = component.key, table.counties
    n = len(counties)
    rates = table.column(component.deduction_factor)
    scores = table.column(component.score_factor)
    bands: list[ScoreBand | None] = [None] * n
    if component.score_bands:
        for index, (county, score) in enumerate(zip(counties, scores, strict=True)):
            band = _band(component.score_bands, score)
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
    weighted = (
        [
            score * band.reward if band is not None else score
            for score, band in zip(scores, bands, strict=True)
        ]
        if component.score_bands
        else scores
    )
    pool = budget + sum(deductions, ZERO) + sum(band_deductions, ZERO)
    total = sum(weighted, ZERO)

    def reward(i: int) -> Decimal:
        return pool / n if total == 0 else pool * weighted[i] / total

    amounts = []
    for i in range(n):
        amount = ZERO - deductions[i]
        band = bands[i]
        if band is not None and band.deduction:
            amount -= band_deductions[i]
        amounts.append(amount + reward(i))
    del deductions, band_deductions  # recomputed (exactly) from the amount before

    def render(i: int, before: Decimal) -> list[Line]:
        band = bands[i]
        lines = [Line(key, component.deduction_factor, rates[i], ONE, ONE, -(rates[i] * before))]
        if band is not None and band.deduction:
            lines.append(
                Line(
                    key, ASSESSMENT_BAND, scores[i], band.deduction, ONE, -(band.deduction * before)
                )
            )
        lines.append(
            Line(
                key,
                component.score_factor,
                scores[i],
                weighted[i] / total if total else ONE / n,
                band.reward if band is not None else ONE,
                reward(i),
            )
        )
        return lines

    return _Part(amounts, render)


def _component(component: Component, budget: Decimal, table: _Table, sofar: list[Decimal]) -> _Part:
    """``component``'s part of every county (the adjustment needs the amounts ``sofar``)."""
    if component.kind == Kind.EQUAL:
        return _equal(component, budget, len(table.counties))
    if component.kind == Kind.FACTORS:
        return _factors(component, budget, table)
    if component.kind == Kind.GAP:
        return _gap(component, budget, table)
    return _adjustment(component, budget, table, sofar)


class _Explainer:
    """A run's columns, from which a county's lines are rendered on demand, in the run's own
    decimal context and by the same operations in the same order as :func:`allocate` summed
    them — so the lines are the very numbers the amount came from."""

    def __init__(self, context, renders, bounds: _Bounds):
        self.context, self.renders, self.bounds = context, renders, bounds

    def lines(self, i: int, amount: Decimal) -> tuple[Line, ...]:
        with localcontext(self.context):
            lines: list[Line] = []
            sofar = ZERO
            for render in self.renders:
                part = render(i, sofar)
                lines.extend(part)
                sofar += sum((line.amount for line in part), ZERO)
            bounded = self.bounds.value(i, sofar)
            if bounded != sofar:
                lines.append(Line(BOUND, BOUND, sofar, ONE, ONE, bounded - sofar))
            if amount != bounded:
                lines.append(Line(ROUNDING, ROUNDING, bounded, ONE, ONE, amount - bounded))
        return tuple(lines)


def _clamp(value: Decimal, floor: Decimal | None, cap: Decimal | None) -> Decimal:
    if floor is not None and value < floor:
        return floor
    if cap is not None and value > cap:
        return cap
    return value


@dataclass(frozen=True)
class _Bounds:
    """How :func:`_bound` moved the amounts: not at all (``scale`` None, ``fixed`` None), by
    ``clamp(scale × amount)``, or to the ``fixed`` list (everybody else at the cap)."""

    floor: Decimal | None
    cap: Decimal | None
    scale: Decimal | None = None
    fixed: list[Decimal] | None = None

    def value(self, i: int, amount: Decimal) -> Decimal:
        if self.fixed is not None:
            return self.fixed[i]
        if self.scale is None:
            return amount
        return _clamp(self.scale * amount, self.floor, self.cap)


def _bound(
    amounts: list[Decimal], fund: Decimal, cap: Decimal | None, floor: Decimal | None
) -> tuple[list[Decimal], _Bounds]:
    """The amounts within ``[floor, cap]``, still summing to ``fund``: every county gets
    ``clamp(t × amount)`` for the one scale ``t`` that makes the sum the fund (the sum grows
    with ``t`` and is linear between the points where a county reaches a bound, so ``t`` is
    found by bisection over those points and interpolation). Counties with nothing stay at
    the floor unless everybody else is at the cap; then they share the rest equally."""
    if all(_clamp(amount, floor, cap) == amount for amount in amounts):
        return list(amounts), _Bounds(floor, cap)

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
        return result, _Bounds(floor, cap, fixed=result)
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
    return [_clamp(t * amount, floor, cap) for amount in amounts], _Bounds(floor, cap, scale=t)


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
    """Divide ``rules.fund`` among ``counties``; raises :class:`AllocationError`.

    The counties' explanation lines are rendered when first read (:class:`CountyAmount`)."""
    counties = sorted(counties, key=lambda county: county.code)
    _check(rules, counties)
    with localcontext() as context:
        context.prec = PRECISION
        table = _Table(counties, _factor_names(rules))
        sofar = [ZERO] * len(counties)
        parts = []
        for component in rules.components:
            part = _component(component, rules.fund * component.share, table, sofar)
            parts.append(part)
            sofar = [amount + add for amount, add in zip(sofar, part.amounts, strict=True)]
        bounded, bounds = _bound(sofar, rules.fund, rules.cap, rules.floor)
        rounded = largest_remainder(bounded, [county.code for county in counties], rules.fund)
        del sofar, bounded
        explainer = _Explainer(context.copy(), [part.render for part in parts], bounds)
        return Allocation(
            rules.fund,
            tuple(
                CountyAmount(
                    county.code, county.name, rounded[index], explainer=explainer, index=index
                )
                for index, county in enumerate(counties)
            ),
        )


@dataclass(frozen=True, slots=True)
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
    old = {county.code: county.amount for county in before.counties}
    new = {county.code: county.amount for county in after.counties}
    names = {county.code: county.name for county in before.counties}
    names.update((county.code, county.name) for county in after.counties)
    keyed = []
    for code in old.keys() | new.keys():
        change = Change(code, names[code], old.get(code, ZERO), new.get(code, ZERO))
        keyed.append((-change.delta, code, change))
    keyed.sort(key=itemgetter(0, 1))
    return [change for _, _, change in keyed]
