"""A rule set as stored data ↔ the pure allocation's values, no Django.

A rule set's components are a JSON list (``AllocationRuleSet.components``); each entry
names its ``key``, ``kind`` (``allocation.Kind``), ``share`` and, by kind, ``weights``
(factor → weight), ``gap_factor`` / ``band_factor`` / ``bands`` ([lower, upper or null,
coefficient]) or ``deduction_factor`` / ``score_factor`` with optional ``score_bands``
([lower, upper or null, reward coefficient, deduction rate, name]) and ``assessment`` (the
parameters of ``ecocomp.assessment``, which computes the score). Numbers are decimal strings, so
that no float ever touches a yuan. Source: 财预〔2022〕59号 (the components), 宁党办〔2023〕32号
（九）（十九） (the factors, the assessment link); every parameter's own source is in the rule
set's ``sources`` — :func:`unsourced` names those without one.

A what-if (试算) changes weights (``{"weights": {component: {factor: weight}}}``) or
factor values (``{"factors": {county: {factor: value}}}``); :func:`with_changes` applies
the first, the run applies the second to its snapshot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from shuzheng.ecocomp import assessment
from shuzheng.ecocomp.allocation import Band, Component, Kind, Line, RuleSet, ScoreBand
from shuzheng.ecocomp.factors import BY_KEY
from shuzheng.text.translation import gettext_noop

BAD_NUMBER = gettext_noop("{where}: “{value}” is not a number.")
BAD_KIND = gettext_noop("{where}: unknown kind “{value}”.")
BAD_FACTOR = gettext_noop("{where}: unknown factor “{value}”.")
NO_KEY = gettext_noop("Component {index} has no key.")
TWICE = gettext_noop("Component {value} is listed twice.")
SHARES = gettext_noop("The component shares sum to {total}, not 1.")
WEIGHTS = gettext_noop("The factor weights of component {component} sum to {total}, not 1.")
NO_SOURCE = gettext_noop("Parameter {parameter} has no source document.")


class RulesError(ValueError):
    """Stored rules that do not make a rule set: ``problems`` are (message, params)."""

    def __init__(self, problems: list[tuple[str, dict]]):
        self.problems = problems
        super().__init__("; ".join(message.format(**params) for message, params in problems))

    def describe(self, translate) -> list[str]:
        return [translate(message).format(**params) for message, params in self.problems]


def _decimal(value, where: str, problems: list) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        problems.append((BAD_NUMBER, {"where": where, "value": value}))
        return Decimal(0)
    if not number.is_finite():
        problems.append((BAD_NUMBER, {"where": where, "value": value}))
        return Decimal(0)
    return number


def _factor(value, where: str, problems: list) -> str:
    if value not in BY_KEY:
        problems.append((BAD_FACTOR, {"where": where, "value": value}))
    return str(value)


def _component(index: int, data: Mapping, problems: list) -> Component:
    key = str(data.get("key", "")).strip()
    if not key:
        problems.append((NO_KEY, {"index": index + 1}))
    try:
        kind = Kind(data.get("kind"))
    except ValueError:
        problems.append((BAD_KIND, {"where": key or index + 1, "value": data.get("kind")}))
        kind = Kind.EQUAL
    share = _decimal(data.get("share"), f"{key}.share", problems)
    weights = {
        _factor(factor, f"{key}.weights", problems): _decimal(weight, f"{key}.{factor}", problems)
        for factor, weight in (data.get("weights") or {}).items()
    }
    if kind == Kind.FACTORS:
        total = sum(weights.values(), Decimal(0))
        if total != 1:
            problems.append((WEIGHTS, {"component": key, "total": total}))
    bands = tuple(
        Band(
            _decimal(lower, f"{key}.bands", problems),
            None if upper is None else _decimal(upper, f"{key}.bands", problems),
            _decimal(coefficient, f"{key}.bands", problems),
        )
        for lower, upper, coefficient in data.get("bands") or ()
    )
    score_bands = tuple(
        ScoreBand(
            _decimal(entry[0], f"{key}.score_bands", problems),
            None if entry[1] is None else _decimal(entry[1], f"{key}.score_bands", problems),
            _decimal(entry[2], f"{key}.score_bands", problems),
            _decimal(entry[3] if len(entry) > 3 else 0, f"{key}.score_bands", problems),
            str(entry[4]) if len(entry) > 4 else "",
        )
        for entry in data.get("score_bands") or ()
        if _band_entry(entry, f"{key}.score_bands", problems)
    )
    if data.get("assessment") is not None:
        try:
            assessment.rules_from_data(data["assessment"])
        except assessment.AssessmentRulesError as error:
            problems.extend(error.problems)
    named = {}
    for name in ("gap_factor", "band_factor", "deduction_factor", "score_factor"):
        if data.get(name):
            named[name] = _factor(data[name], f"{key}.{name}", problems)
    return Component(
        key=key,
        kind=kind,
        share=share,
        source=str(data.get("source", "")),
        weights=weights,
        bands=bands,
        score_bands=score_bands,
        **named,
    )


def _band_entry(entry, where: str, problems: list) -> bool:
    """A score band is [lower, upper or null, reward, deduction, name] (the last two optional)."""
    if isinstance(entry, list | tuple) and 3 <= len(entry) <= 5:
        return True
    problems.append((BAD_NUMBER, {"where": where, "value": entry}))
    return False


def assessment_entry(components: Sequence[Mapping]) -> tuple[Mapping, Mapping] | None:
    """The adjustment component holding assessment parameters (考评挂钩) and those
    parameters, or None when the rules have none."""
    for entry in components:
        if entry.get("kind") == Kind.ADJUSTMENT and entry.get("assessment") is not None:
            return entry, entry["assessment"]
    return None


def components_from_data(data: Sequence[Mapping]) -> list[Component]:
    """The components of stored rules; raises :class:`RulesError` naming every problem."""
    problems: list[tuple[str, dict]] = []
    components = [_component(index, entry, problems) for index, entry in enumerate(data)]
    keys = [component.key for component in components]
    for key in sorted({key for key in keys if keys.count(key) > 1}):
        problems.append((TWICE, {"value": key}))
    total = sum((component.share for component in components), Decimal(0))
    if total != 1:
        problems.append((SHARES, {"total": total}))
    if problems:
        raise RulesError(problems)
    return components


def rule_set(fund, components: Sequence[Mapping], cap=None, floor=None) -> RuleSet:
    """The pure module's :class:`RuleSet` of stored rules."""
    return RuleSet(
        fund=Decimal(fund),
        components=tuple(components_from_data(components)),
        cap=None if cap is None else Decimal(cap),
        floor=None if floor is None else Decimal(floor),
    )


def unsourced(components: Sequence[Mapping], sources: Mapping[str, str], cap, floor) -> list:
    """The parameters without a source document: the fund, each component (its share and
    weights), the cap and the floor when set. A rule set is reviewed only without any."""
    needed = ["fund"] + [str(entry.get("key", "")) for entry in components]
    needed += [name for name, value in (("cap", cap), ("floor", floor)) if value is not None]
    return [
        (NO_SOURCE, {"parameter": name})
        for name in needed
        if not str(sources.get(name, "")).strip()
    ]


def with_changes(components: Sequence[Mapping], weights: Mapping[str, Mapping]) -> list[dict]:
    """The components with the what-if's weights replacing theirs (factor by factor)."""
    changed = []
    for entry in components:
        entry = dict(entry)
        if entry.get("key") in weights:
            entry["weights"] = {**entry.get("weights", {}), **weights[entry["key"]]}
        changed.append(entry)
    return changed


def factors_used(components: Sequence[Component]) -> list[str]:
    """Every factor the components read, in their order, each once."""
    used: list[str] = []
    for component in components:
        names = [
            *component.weights,
            component.gap_factor,
            component.band_factor,
            component.deduction_factor,
            component.score_factor,
        ]
        used.extend(name for name in names if name and name not in used)
    return used


def line_data(line: Line) -> list[str]:
    """A line as stored: decimal strings, never floats."""
    return [
        line.component,
        line.factor,
        *(_plain(number) for number in (line.value, line.share, line.weight, line.amount)),
    ]


def _plain(number: Decimal) -> str:
    """A decimal as text; zero as ``0`` (not ``0E-43``, what a product of zeros gives)."""
    return str(number) if number else "0"


def line_from_data(data: Sequence[str]) -> Line:
    component, factor, value, share, weight, amount = data
    return Line(component, factor, Decimal(value), Decimal(share), Decimal(weight), Decimal(amount))
