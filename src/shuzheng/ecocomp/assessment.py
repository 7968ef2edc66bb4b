"""The assessment of a county's compensation duties (考评挂钩), no Django.

Source. 宁党办〔2023〕32号 measure （十九） asks that the evaluation of how each place carried
out its ecological-compensation duties be tied to the transfer payment ("评价结果与转移支付资金
分配挂钩"). The duties are the measures' tasks in the ledger (the gazette's 责任单位, split to
the counties), the result is the county's environmental quality. This module turns both into
one score per county; the allocation's ``adjustment`` component (``allocation.ScoreBand``) then
puts the score in a band, which gives the reward coefficient and any deduction — so the chain
evaluation score → band → reward or deduction is explicit and printed line by line.

Every figure is a parameter (stored with the rule set's assessment component and its source),
never a constant here:

* **duties** — ``duty_points`` × the county's credit share: each of its tasks earns the credit
  of its light (e.g. 办结/grey 1, green 1, yellow 0.5, red 0), divided by the number of tasks;
  a county without a task gets full or no marks as ``without_tasks`` says;
* **quality** — ``quality_points`` × the share of its monitored section-months whose water
  class (GB 3838, the worst indicator) is at or better than ``target_class``; a section-month
  without a usable value is left out (and counted); without any, ``without_quality`` decides;
* **overdue penalty** — ``overdue_penalty`` points per red task, at most ``penalty_cap``.

Rounding, once per step so the printed lines add up: shares to 4 places, points to 2 places
(half up), the score is the sum of the rounded points, never below 0.

Worked example (tests/ecocomp/test_assessment.py): 60 duty points, 40 quality points, credits
grey 1 / green 1 / yellow 0.5 / red 0, 2 points per red task capped at 5, target Class III. A
county with 5 tasks (1 done, 2 green, 1 yellow, 1 red) has credit 3.5 / 5 = 0.7 → 42 points;
10 of its 12 section-months at Class III or better → 0.8333 → 33.33 points; one red task → −2;
score 42 + 33.33 − 2 = 73.33.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from shuzheng.text.translation import gettext_noop

ZERO = Decimal(0)
ONE = Decimal(1)
SHARE_PLACES = Decimal("0.0001")
POINT_PLACES = Decimal("0.01")
LIGHTS = ("grey", "green", "yellow", "red")
FULL, NONE = "full", "zero"

# Line codes (rendered by ecocomp.rendering), each with its parameters and points.
DUTIES = "duties"
DUTIES_NONE_FULL = "duties-none-full"
DUTIES_NONE_ZERO = "duties-none-zero"
QUALITY = "quality"
QUALITY_NONE_FULL = "quality-none-full"
QUALITY_NONE_ZERO = "quality-none-zero"
PENALTY = "overdue-penalty"
FLOORED = "floored-at-zero"

BAD_NUMBER = gettext_noop("Assessment parameter {name}: “{value}” is not a non-negative number.")
BAD_CHOICE = gettext_noop("Assessment parameter {name}: “{value}” is neither full nor zero.")
BAD_CLASS = gettext_noop("Assessment parameter target_class: “{value}” is not a class 1–5.")
NO_MEASURES = gettext_noop("The assessment names no document and measures for its tasks.")


class AssessmentRulesError(ValueError):
    """Stored assessment parameters that do not make rules: ``problems`` are (message, params)."""

    def __init__(self, problems: list[tuple[str, dict]]):
        self.problems = problems
        super().__init__("; ".join(message.format(**params) for message, params in problems))


@dataclass(frozen=True)
class AssessmentRules:
    """Points of each part, the credit of each light, the penalty, the target class and which
    tasks are the duties (a document number and the measures' labels)."""

    duty_points: Decimal
    quality_points: Decimal
    credits: Mapping[str, Decimal]
    overdue_penalty: Decimal
    penalty_cap: Decimal
    target_class: int
    without_tasks: str = NONE
    without_quality: str = NONE
    document: str = ""
    measures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Duties:
    """A county's ledger tasks of the compensation measures, by light."""

    lights: Mapping[str, int] = field(default_factory=dict)

    @property
    def tasks(self) -> int:
        return sum(self.lights.values())


@dataclass(frozen=True)
class Quality:
    """A county's monitored section-months: how many had a class, how many met the target,
    how many had no usable value."""

    months: int = 0
    met: int = 0
    without_value: int = 0


@dataclass(frozen=True)
class Evaluation:
    score: Decimal
    #: (code, params, points): the parts of the score in order.
    lines: tuple[tuple[str, dict, Decimal], ...]


def _share(numerator: Decimal, denominator: Decimal) -> Decimal:
    return (numerator / denominator).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def _points(value: Decimal) -> Decimal:
    return value.quantize(POINT_PLACES, rounding=ROUND_HALF_UP)


def evaluate(duties: Duties, quality: Quality, rules: AssessmentRules) -> Evaluation:
    """The county's score with its lines (see the module's docstring for the rules)."""
    lines: list[tuple[str, dict, Decimal]] = []
    counts = {light: int(duties.lights.get(light, 0)) for light in LIGHTS}
    if duties.tasks:
        credit = sum(
            (rules.credits.get(light, ZERO) * count for light, count in counts.items()), ZERO
        )
        share = _share(credit, Decimal(duties.tasks))
        lines.append(
            (
                DUTIES,
                {"tasks": duties.tasks, **counts, "credit": str(credit), "share": str(share)},
                _points(rules.duty_points * share),
            )
        )
    elif rules.without_tasks == FULL:
        lines.append((DUTIES_NONE_FULL, {}, _points(rules.duty_points)))
    else:
        lines.append((DUTIES_NONE_ZERO, {}, ZERO))
    if quality.months:
        share = _share(Decimal(quality.met), Decimal(quality.months))
        params = {
            "met": quality.met,
            "months": quality.months,
            "without_value": quality.without_value,
            "target_class": rules.target_class,
            "share": str(share),
        }
        lines.append((QUALITY, params, _points(rules.quality_points * share)))
    elif rules.without_quality == FULL:
        lines.append(
            (
                QUALITY_NONE_FULL,
                {"without_value": quality.without_value},
                _points(rules.quality_points),
            )
        )
    else:
        lines.append((QUALITY_NONE_ZERO, {"without_value": quality.without_value}, ZERO))
    red = counts["red"]
    if red and rules.overdue_penalty:
        penalty = _points(min(rules.penalty_cap, rules.overdue_penalty * red))
        lines.append(
            (
                PENALTY,
                {"red": red, "per": str(rules.overdue_penalty), "cap": str(rules.penalty_cap)},
                -penalty,
            )
        )
    score = sum((points for _, _, points in lines), ZERO)
    if score < 0:
        lines.append((FLOORED, {}, -score))
        score = ZERO
    return Evaluation(score, tuple(lines))


def _number(data: Mapping, name: str, default: str, problems: list) -> Decimal:
    value = data.get(name, default)
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        number = Decimal(-1)
    if not number.is_finite() or number < 0:
        problems.append((BAD_NUMBER, {"name": name, "value": value}))
        return ZERO
    return number


def _choice(data: Mapping, name: str, problems: list) -> str:
    value = data.get(name, NONE)
    if value not in (FULL, NONE):
        problems.append((BAD_CHOICE, {"name": name, "value": value}))
        return NONE
    return value


def rules_from_data(data: Mapping) -> AssessmentRules:
    """The rules of a stored assessment entry (decimal strings); raises
    :class:`AssessmentRulesError` naming every bad parameter."""
    problems: list[tuple[str, dict]] = []
    credits_data = data.get("credits") or {}
    credits = {
        light: _number(credits_data, light, "0", problems)
        for light in LIGHTS
        if light in credits_data
    }
    try:
        target = int(data.get("target_class", 3))
    except (TypeError, ValueError):
        target = 0
    if not 1 <= target <= 5:
        problems.append((BAD_CLASS, {"value": data.get("target_class")}))
    measures = tuple(
        str(label).strip() for label in data.get("measures") or () if str(label).strip()
    )
    document = str(data.get("document", "")).strip()
    if not document or not measures:
        problems.append((NO_MEASURES, {}))
    rules = AssessmentRules(
        duty_points=_number(data, "duty_points", "0", problems),
        quality_points=_number(data, "quality_points", "0", problems),
        credits=credits,
        overdue_penalty=_number(data, "overdue_penalty", "0", problems),
        penalty_cap=_number(data, "penalty_cap", "0", problems),
        target_class=target,
        without_tasks=_choice(data, "without_tasks", problems),
        without_quality=_choice(data, "without_quality", problems),
        document=document,
        measures=measures,
    )
    if problems:
        raise AssessmentRulesError(problems)
    return rules
