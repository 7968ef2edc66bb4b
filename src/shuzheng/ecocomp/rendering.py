"""Stored codes and lines → words in the reader's language (nothing stored rendered).

An allocation line is stored as [component, factor, value, share, weight, amount]; a
settlement line as (label, formula) from ``ecocomp.horizontal`` whose formulas carry
indicator codes and the words ``vs`` and ``(cap)``; flags as (message, params). Pages,
exports and the API word them here, with the reader's translation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shuzheng.ecocomp import assessment
from shuzheng.ecocomp.allocation import ASSESSMENT_BAND, BOUND, DEDUCTION, EQUAL_PART, ROUNDING
from shuzheng.ecocomp.choices import ComponentKind, Indicator
from shuzheng.ecocomp.factors import BY_KEY

PSEUDO_FACTORS = {
    EQUAL_PART: _("equal part"),
    DEDUCTION: _("deduction"),
    ASSESSMENT_BAND: _("assessment band"),
    BOUND: _("cap or floor"),
    ROUNDING: _("rounding to the yuan (largest remainder)"),
}
SETTLEMENT_LABELS = {
    "class": _("water-quality class"),
    "index": _("pollution index"),
    "change": _("change component"),
    "P": _("P index"),
    "inbound": _("inbound section"),
    "section": _("assessed section"),
}
CLASS_NAMES = {1: "Ⅰ", 2: "Ⅱ", 3: "Ⅲ", 4: "Ⅳ", 5: "Ⅴ", 6: "劣Ⅴ"}
CENT = Decimal("0.01")


def yuan(value) -> str:
    """Whole yuan with thousands separators (allocation tables)."""
    return f"{Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"


def money(value) -> str:
    """Yuan to the fen (explanation lines)."""
    return f"{Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP):,}"


def ratio(value) -> str:
    return f"{(Decimal(value) * 100).quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP)}%"


def factor_label(key: str) -> str:
    if key in BY_KEY:
        return gettext(BY_KEY[key].label)
    if key in PSEUDO_FACTORS:
        return str(PSEUDO_FACTORS[key])
    return key


def component_names(components) -> dict[str, str]:
    """Component key → its name as the rule set gives it (Chinese), else its kind's label."""
    labels = dict(ComponentKind.choices)
    return {
        entry["key"]: entry.get("name") or str(labels.get(entry.get("kind"), entry["key"]))
        for entry in components
    }


@dataclass(frozen=True)
class WordedLine:
    component: str
    factor: str
    value: str
    share: str
    weight: str
    amount: str
    sentence: str


def band_name(bands, score) -> str:
    """The name of the stored score band ([lower, upper, reward, deduction, name]) holding
    ``score``, or its range when the rule set gives it no name."""
    score = Decimal(score)
    for entry in bands or ():
        lower, upper = Decimal(str(entry[0])), None if entry[1] is None else Decimal(str(entry[1]))
        if score >= lower and (upper is None or score < upper):
            if len(entry) > 4 and entry[4]:
                return str(entry[4])
            return f"[{_number(lower)}, {'∞' if upper is None else _number(upper)})"
    return ""


def worded_line(
    line, names: dict[str, str], kinds: dict[str, str], bands: dict | None = None
) -> WordedLine:
    """One explanation line: factor value → normalised share → weight → amount; for a banded
    assessment (考评挂钩): score → band → reward coefficient or deduction → amount."""
    component, factor, value, share, weight, amount = line
    name = names.get(component, factor_label(component))
    kind = kinds.get(component, "")
    label = factor_label(factor)
    entry = (bands or {}).get(component) or {}
    banded = entry.get("score_bands")
    extra = {}
    if factor == ASSESSMENT_BAND:
        sentence = gettext(
            "%(component)s: assessment score %(value)s falls in band %(band)s, deduction "
            "rate %(share)s → deduction %(amount)s yuan."
        )
        extra["band"] = band_name(banded, value)
    elif banded and factor == entry.get("score_factor"):
        sentence = gettext(
            "%(component)s: %(factor)s %(value)s → band %(band)s, reward coefficient "
            "%(weight)s, share of all weighted scores %(share)s → reward %(amount)s yuan."
        )
        extra["band"] = band_name(banded, value)
    elif factor == EQUAL_PART:
        sentence = gettext("%(component)s: the same part for every county, %(amount)s yuan.")
    elif factor in (BOUND, ROUNDING):
        sentence = gettext("%(factor)s: %(amount)s yuan.")
        name = label
    elif kind == ComponentKind.GAP:
        sentence = gettext(
            "%(component)s: %(factor)s %(value)s × coefficient %(weight)s, share of all "
            "claims %(share)s → %(amount)s yuan."
        )
    elif kind == ComponentKind.ADJUSTMENT and Decimal(amount) <= 0 and Decimal(share) == 1:
        sentence = gettext("%(component)s: %(factor)s %(value)s → deduction %(amount)s yuan.")
    elif kind == ComponentKind.ADJUSTMENT:
        sentence = gettext(
            "%(component)s: %(factor)s %(value)s, share of all scores %(share)s → reward "
            "%(amount)s yuan."
        )
    else:
        sentence = gettext(
            "%(component)s: %(factor)s %(value)s, share %(share)s × weight %(weight)s → "
            "%(amount)s yuan."
        )
    words = {
        "component": name,
        "factor": label,
        "value": _number(value),
        "share": ratio(share),
        "weight": _number(weight),
        "amount": money(amount),
        **extra,
    }
    return WordedLine(
        name,
        label,
        words["value"],
        words["share"],
        words["weight"],
        words["amount"],
        sentence % words,
    )


def _number(value) -> str:
    number = Decimal(value)
    if number == number.to_integral_value():
        return f"{number.quantize(Decimal(1)):,}"
    return f"{number.normalize():f}"


def worded_lines(lines, components) -> list[WordedLine]:
    names = component_names(components)
    kinds = {entry["key"]: entry.get("kind", "") for entry in components}
    bands = {entry["key"]: entry for entry in components if entry.get("score_bands")}
    return [worded_line(line, names, kinds, bands) for line in lines]


EVALUATION_LINES = {
    assessment.DUTIES: _(
        "compensation duties: %(tasks)s tasks (%(grey)s closed, %(green)s green, %(yellow)s "
        "yellow, %(red)s red), credit %(credit)s, share %(share)s → %(points)s points"
    ),
    assessment.DUTIES_NONE_FULL: _("no compensation task: full marks by rule, %(points)s points"),
    assessment.DUTIES_NONE_ZERO: _("no compensation task: no marks by rule"),
    assessment.QUALITY: _(
        "water quality: %(met)s of %(months)s section-months at Class %(target)s or better "
        "(%(without_value)s without a usable value), share %(share)s → %(points)s points"
    ),
    assessment.QUALITY_NONE_FULL: _(
        "no monitored section-month: full marks by rule, %(points)s points"
    ),
    assessment.QUALITY_NONE_ZERO: _("no monitored section-month: no marks by rule"),
    assessment.PENALTY: _(
        "%(red)s overdue tasks × %(per)s points (at most %(cap)s) → %(points)s points"
    ),
    assessment.FLOORED: _("a score does not fall below 0: %(points)s points"),
}


def evaluation_lines(details: dict) -> list[str]:
    """An evaluation's stored lines ([code, params, points]) worded."""
    worded = []
    for code, params, points in details.get("lines", ()):
        words = {**params, "points": _number(points)}
        if "target_class" in params:
            words["target"] = CLASS_NAMES.get(int(params["target_class"]), params["target_class"])
        if "share" in params:
            words["share"] = ratio(params["share"])
        worded.append(str(EVALUATION_LINES.get(code, code)) % words)
    return worded


def evaluation_summary(evaluation) -> str:
    """One sentence: the evaluation, as of when, its lines and its score (the provenance of a
    run's score factor, kept in the run)."""
    return gettext("evaluation #%(id)s as of %(day)s: %(lines)s → score %(score)s") % {
        "id": evaluation.pk,
        "day": evaluation.details.get("as_of", ""),
        "lines": gettext("; ").join(evaluation_lines(evaluation.details)),
        "score": _number(evaluation.score),
    }


def indicator_name(code: str) -> str:
    return str(dict(Indicator.choices).get(code, code))


_CODES = re.compile(r"\b(codmn|cod|nh3n|tp|tn)\b")


def _without_codes(text: str) -> str:
    text = _CODES.sub(lambda match: indicator_name(match[1]), str(text))
    return text.replace(" vs ", gettext(" against ")).replace(" (cap)", gettext(" (capped)"))


def settlement_line(label: str, formula: str) -> tuple[str, str]:
    """A settlement line worded: its label and formula, indicator codes named."""
    worded = SETTLEMENT_LABELS.get(label) or indicator_name(label)
    return str(worded), _without_codes(formula)


def flag_text(message: str, params: dict) -> str:
    return gettext(message).format(
        **{
            key: indicator_name(value) if key == "indicator" else value
            for key, value in params.items()
        }
    )


def class_name(number: int | None) -> str:
    return "" if number is None else gettext("Class %(name)s") % {"name": CLASS_NAMES[number]}
