"""Horizontal compensation between upstream and downstream by water quality (横向补偿), no Django.

宁党办〔2023〕32号 measure （十） asks for upstream/downstream compensation along the Yellow
River's Ningxia main stream, its tributaries and key drainage ditches, and with Gansu and Inner
Mongolia. Three published models are implemented as rule kinds, all of whose figures (amounts,
baselines, K0, class limits, caps) are arguments taken from the agreement, never constants:

* :func:`p_index` — 新安江 (《新安江流域水环境补偿试点实施方案》, 财政部、环境保护部 2011, and
  the later rounds): ``P = K0 × Σ k_i × C_i / C_i0`` over 高锰酸盐指数、氨氮、总氮、总磷 (annual
  means ``C_i``, baselines ``C_i0``, weights ``k_i``, stability factor K0); ``P ≤ 1``: the
  downstream side pays the upstream side, ``P > 1``: the upstream side pays.
* :func:`class_with_change` — 河南—山东 (《黄河流域（豫鲁段）横向生态保护补偿协议》, 2021): each
  water-quality class better than the target (Class III) the downstream side pays a fixed
  amount, each class worse the upstream side pays it; plus a change component: every whole
  percentage point that the pollutant index ``Σ C_i / S_i`` over COD、氨氮、总磷 falls from the
  baseline period pays a fixed amount (rises: the other way), capped; settled per period (a
  year, or a month from the second round).
* :func:`class_threshold` — 甘肃—宁夏 at 五佛寺 (《甘肃省人民政府 宁夏回族自治区人民政府黄河流域
  （甘肃—宁夏段）横向生态补偿协议》, 2023–2025): better than Class II, the downstream side
  (Ningxia) pays the upstream side (Gansu) the amount (5,000万元 in the published agreement);
  worse, the upstream side pays it; at Class II itself neither pays (``neutral_at_threshold``;
  without it the downstream side pays at the threshold too).
* :func:`inbound_comparison` — an internal ditch: a section against its inbound section; each
  class the water leaves worse than it came in, the county of the reach pays a fixed amount to
  the downstream side; better, it receives it.

Monitoring values are :class:`Sample` s; a missing month or a value marked suspect (or not a
finite non-negative number) is left out of the mean and reported in ``flags``; a settlement
with fewer valid months than ``min_samples`` is incomplete and pays nothing.
Water-quality classes follow GB 3838-2002 Table 1 (limits passed as data, ``data/gb3838.json``):
a section's class is the worst class over its indicators; 6 stands for 劣Ⅴ类.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path

from shuzheng.text.translation import gettext_noop

ZERO = Decimal(0)
ONE = Decimal(1)
WORSE_THAN_V = 6
GB3838 = Path(__file__).with_name("data") / "gb3838.json"

FLAG_MISSING = gettext_noop("Section {section}, indicator {indicator}: no value for {period}.")
FLAG_SUSPECT = gettext_noop(
    "Section {section}, indicator {indicator}: the value {value} for {period} is suspect and not used."
)
FLAG_INCOMPLETE = gettext_noop(
    "Section {section}: only {count} of {needed} required values are usable; nothing is settled."
)
FLAG_NO_LIMIT = gettext_noop("Indicator {indicator} has no class limits.")


@dataclass(frozen=True)
class Sample:
    """One monitoring value: ``value`` None is a gap; ``suspect`` is the monitoring
    station's (or the importer's) mark that the value is not to be trusted."""

    period: str
    value: Decimal | None
    suspect: bool = False


@dataclass(frozen=True)
class Flag:
    message: str
    params: Mapping[str, object]

    def __str__(self) -> str:
        return self.message.format(**self.params)


@dataclass(frozen=True)
class Settlement:
    """``payer`` pays ``payee`` ``amount`` yuan (0 and no payer when nothing is settled);
    ``lines`` say why (label, value), ``flags`` what was left out."""

    payer: str
    payee: str
    amount: Decimal
    lines: tuple[tuple[str, str], ...]
    flags: tuple[Flag, ...] = ()
    complete: bool = True


@dataclass(frozen=True)
class Sides:
    upstream: str
    downstream: str


def load_limits(path: Path = GB3838) -> dict[str, list[Decimal]]:
    """The upper limits of Classes I–V per indicator (mg/L), from the data file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        key: [Decimal(str(value)) for value in limits] for key, limits in data["limits"].items()
    }


def mean(
    section: str, indicator: str, samples: Sequence[Sample]
) -> tuple[Decimal | None, int, list[Flag]]:
    """The mean of the usable values, how many there were, and the flags of the others."""
    if len(samples) == 1:  # a monthly settlement: one value (the common case, kept short)
        sample = samples[0]
        value = sample.value
        if value.__class__ is Decimal and not sample.suspect and value.is_finite() and value >= 0:
            return value, 1, []
    flags, usable = [], []
    for sample in samples:
        value = sample.value
        if value is not None and value.__class__ is not Decimal:
            value = Decimal(value)
        if value is not None and not sample.suspect and value.is_finite() and value >= 0:
            usable.append(value)
            continue
        params = {"section": section, "indicator": indicator, "period": sample.period}
        if value is None:
            flags.append(Flag(FLAG_MISSING, params))
        else:
            flags.append(Flag(FLAG_SUSPECT, {**params, "value": sample.value}))
    if not usable:
        return None, 0, flags
    if len(usable) == 1:
        return usable[0], 1, flags
    with localcontext() as context:
        context.prec = 40
        return sum(usable, ZERO) / len(usable), len(usable), flags


def water_class(
    concentrations: Mapping[str, Decimal], limits: Mapping[str, Sequence[Decimal]]
) -> tuple[int, str]:
    """The GB 3838 class (1–6) of the worst indicator, and that indicator."""
    worst, which = 0, ""
    for indicator, value in sorted(concentrations.items()):
        if indicator not in limits:
            raise ValueError(FLAG_NO_LIMIT.format(indicator=indicator))
        klass = WORSE_THAN_V
        for index, limit in enumerate(limits[indicator]):
            if value <= limit:
                klass = index + 1
                break
        if klass > worst:
            worst, which = klass, indicator
    return worst, which


def _means(section: str, data: Mapping[str, Sequence[Sample]], min_samples: int):
    means, flags, short = {}, [], []
    for indicator, samples in sorted(data.items()):
        value, count, found = mean(section, indicator, samples)
        flags.extend(found)
        if count < min_samples:
            short.append(
                Flag(FLAG_INCOMPLETE, {"section": section, "count": count, "needed": min_samples})
            )
        means[indicator] = value
    return means, flags, short


def _incomplete(lines, flags, short) -> Settlement:
    return Settlement("", "", ZERO, tuple(lines), tuple(flags + short[:1]), complete=False)


def _fmt(value: Decimal, places: str = "0.0001") -> str:
    return str(value.quantize(Decimal(places), rounding=ROUND_HALF_UP))


def p_index(
    section: str,
    sides: Sides,
    data: Mapping[str, Sequence[Sample]],
    baselines: Mapping[str, Decimal],
    weights: Mapping[str, Decimal],
    k0: Decimal,
    amount: Decimal,
    min_samples: int = 12,
) -> Settlement:
    """新安江: ``P = K0 × Σ k_i × C_i / C_i0``; P ≤ 1 downstream pays, else upstream pays."""
    means, flags, short = _means(section, data, min_samples)
    if short:
        return _incomplete([], flags, short)
    lines = []
    with localcontext() as context:
        context.prec = 40
        total = ZERO
        for indicator in sorted(weights):
            ratio = means[indicator] / baselines[indicator]
            total += weights[indicator] * ratio
            lines.append(
                (
                    indicator,
                    f"C={_fmt(means[indicator])} C0={baselines[indicator]} k={weights[indicator]} C/C0={_fmt(ratio)}",
                )
            )
        p = k0 * total
    lines.append(("P", f"K0={k0} × {_fmt(total)} = {_fmt(p)}"))
    payer, payee = (
        (sides.downstream, sides.upstream) if p <= ONE else (sides.upstream, sides.downstream)
    )
    return Settlement(payer, payee, amount, tuple(lines), tuple(flags))


def class_with_change(
    section: str,
    sides: Sides,
    data: Mapping[str, Sequence[Sample]],
    limits: Mapping[str, Sequence[Decimal]],
    target_class: int,
    per_class: Decimal,
    change_indicators: Sequence[str],
    standards: Mapping[str, Decimal],
    baseline_index: Decimal,
    per_point: Decimal,
    change_cap: Decimal,
    min_samples: int = 1,
) -> Settlement:
    """豫鲁: ``(target − class) × per_class`` plus, per whole percentage point the index
    ``Σ C_i / S_i`` over ``change_indicators`` fell from ``baseline_index``, ``per_point``,
    capped at ``change_cap`` either way. Positive: downstream pays upstream."""
    means, flags, short = _means(section, data, min_samples)
    if short:
        return _incomplete([], flags, short)
    klass, worst = water_class(
        {key: value for key, value in means.items() if key in limits}, limits
    )
    class_part = (target_class - klass) * per_class
    lines = [("class", f"{klass} ({worst}) vs {target_class}: {class_part}")]
    with localcontext() as context:
        context.prec = 40
        index = sum((means[key] / standards[key] for key in change_indicators), ZERO)
        percent = (baseline_index - index) / baseline_index * 100
    points = percent.to_integral_value(rounding=ROUND_DOWN)
    change = max(-change_cap, min(change_cap, points * per_point))
    lines.append(
        (
            "index",
            f"{_fmt(index)} vs {baseline_index}: {_fmt(percent, '0.01')} % → {points} × {per_point}",
        )
    )
    lines.append(
        ("change", f"{change}" + (" (cap)" if abs(points * per_point) > change_cap else ""))
    )
    total = class_part + change
    payer, payee = (
        (sides.downstream, sides.upstream) if total >= 0 else (sides.upstream, sides.downstream)
    )
    return Settlement(payer, payee, abs(total), tuple(lines), tuple(flags))


def class_threshold(
    section: str,
    sides: Sides,
    data: Mapping[str, Sequence[Sample]],
    limits: Mapping[str, Sequence[Decimal]],
    threshold_class: int,
    amount: Decimal,
    min_samples: int = 12,
    neutral_at_threshold: bool = False,
) -> Settlement:
    """五佛寺: the class of the annual means against ``threshold_class``. Better: the
    downstream side pays the upstream side ``amount``; worse: the upstream side pays it. At
    the threshold itself the downstream side pays, unless ``neutral_at_threshold``: then
    neither pays. The agreement as published — 《甘肃省人民政府 宁夏回族自治区人民政府黄河流域
    （甘肃—宁夏段）横向生态补偿协议》, signed July 2023 (人民日报, 31 July 2023), 2023-01-01 to
    2025-12-31, 5,000万元 from each side — is neutral at Class II: "达到国家考核Ⅱ类水质标准，双方
    互不补偿；未达到……甘肃向宁夏补偿5000万元；高于……宁夏向甘肃补偿5000万元"."""
    means, flags, short = _means(section, data, min_samples)
    if short:
        return _incomplete([], flags, short)
    klass, worst = water_class(means, limits)
    lines = [("class", f"{klass} ({worst}) vs {threshold_class}")]
    if klass == threshold_class and neutral_at_threshold:
        return Settlement("", "", ZERO, tuple(lines), tuple(flags))
    payer, payee = (
        (sides.downstream, sides.upstream)
        if klass <= threshold_class
        else (sides.upstream, sides.downstream)
    )
    return Settlement(payer, payee, amount, tuple(lines), tuple(flags))


def inbound_comparison(
    section: str,
    inbound: str,
    reach: str,
    downstream: str,
    data: Mapping[str, Sequence[Sample]],
    inbound_data: Mapping[str, Sequence[Sample]],
    limits: Mapping[str, Sequence[Decimal]],
    per_class: Decimal,
    min_samples: int = 1,
) -> Settlement:
    """A ditch reach: ``(out class − in class) × per_class``; worse out, ``reach`` pays
    ``downstream``; better, ``downstream`` pays ``reach``."""
    out_means, flags, short = _means(section, data, min_samples)
    in_means, in_flags, in_short = _means(inbound, inbound_data, min_samples)
    if short or in_short:
        return _incomplete([], flags + in_flags, short + in_short)
    out_class, out_worst = water_class(out_means, limits)
    in_class, in_worst = water_class(in_means, limits)
    steps = out_class - in_class
    lines = [
        ("inbound", f"{inbound}: {in_class} ({in_worst})"),
        ("section", f"{section}: {out_class} ({out_worst})"),
    ]
    payer, payee = (reach, downstream) if steps > 0 else (downstream, reach)
    return Settlement(
        payer if steps else "",
        payee if steps else "",
        abs(steps) * per_class,
        tuple(lines),
        tuple(flags + in_flags),
    )
