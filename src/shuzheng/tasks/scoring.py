"""Assessment (考核) of units and regions from their key-task facts: rules as data, no Django.

Seed task 121 (每年度制定数字政府工作要点和重点任务考核指标体系，形成常态化考核和以奖代补工作机制)
asks for a yearly indicator system; seed task 122 puts it into the 效能目标管理考核 and seed
task 123 makes the results count for leaders' evaluation, so every score must be explainable.
Issue 5 fixes the shape: configurable indicators per year (share of milestones met on time,
report timeliness, supervisor rating, deductions for overdue items), weights, a score per unit
and per region, a ranked table — and "the scoring rules are data, not code, and each score can
be explained line by line".

The arithmetic is decimal and rounded once per step, so the printed line items add up exactly:
a normalised value is rounded to 4 places (a percentage with 2 decimals), its points to 2
places (weight × normalised value, half up), and a total is the sum of the rounded points.
The formula with a worked example is in docs/ledger-rules.md.

Other apps contribute indicator kinds of their own (the hotline's 响应率, issue 15 point 4):
each is an :class:`ExternalKind` — a count share, "met of due" — registered through
``tasks.indicators``; the rules name it by its code, and this module scores and explains it
like the ledger's own, from the unit's :class:`Share` in ``UnitFacts.external``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path

from shuzheng.text.translation import gettext_noop, join_list

RULES_FORMAT = "shuzheng-assessment/1"
TOTAL_WEIGHT = Decimal(100)
SHARE_PLACES = Decimal("0.0001")
POINT_PLACES = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)


class IndicatorKind(StrEnum):
    """The measurements an indicator can be built on (issue 5)."""

    ON_TIME_MILESTONE_SHARE = "on_time_milestone_share"
    REPORT_TIMELINESS = "report_timeliness"
    SUPERVISOR_RATING = "supervisor_rating"
    OVERDUE_DEDUCTION = "overdue_deduction"


#: What each kind of indicator measures, for the rules page.
KIND_TEXT = {
    IndicatorKind.ON_TIME_MILESTONE_SHARE: gettext_noop("Share of milestones met on time"),
    IndicatorKind.REPORT_TIMELINESS: gettext_noop("Share of progress reports on time"),
    IndicatorKind.SUPERVISOR_RATING: gettext_noop("Mean supervisor rating"),
    IndicatorKind.OVERDUE_DEDUCTION: gettext_noop("Deduction for overdue items"),
}


class Measure(StrEnum):
    """What an indicator measured for a unit: codes of the explanation's first part."""

    MILESTONES_ON_TIME = "milestones-on-time"
    REPORTS_ON_TIME = "reports-on-time"
    NO_MILESTONES_DUE_FULL = "no-milestones-due-full"
    NO_MILESTONES_DUE_ZERO = "no-milestones-due-zero"
    NO_REPORTS_DUE_FULL = "no-reports-due-full"
    NO_REPORTS_DUE_ZERO = "no-reports-due-zero"
    NOT_RATED_FULL = "not-rated-full"
    NOT_RATED_ZERO = "not-rated-zero"
    MEAN_RATING = "mean-rating"
    OVERDUE_DEDUCTED = "overdue-deducted"
    NOTHING_MEASURED_FULL = "nothing-measured-full"
    NOTHING_MEASURED_ZERO = "nothing-measured-zero"


MEASURE_TEXT = {
    Measure.MILESTONES_ON_TIME: gettext_noop("{met} of {due} milestones on time"),
    Measure.REPORTS_ON_TIME: gettext_noop("{met} of {due} progress reports on time"),
    Measure.NO_MILESTONES_DUE_FULL: gettext_noop(
        "none of the milestones fell due, full marks by rule"
    ),
    Measure.NO_MILESTONES_DUE_ZERO: gettext_noop(
        "none of the milestones fell due, no marks by rule"
    ),
    Measure.NO_REPORTS_DUE_FULL: gettext_noop(
        "none of the progress reports fell due, full marks by rule"
    ),
    Measure.NO_REPORTS_DUE_ZERO: gettext_noop(
        "none of the progress reports fell due, no marks by rule"
    ),
    Measure.NOT_RATED_FULL: gettext_noop("not rated, full marks by rule"),
    Measure.NOT_RATED_ZERO: gettext_noop("not rated, no marks by rule"),
    Measure.MEAN_RATING: gettext_noop("mean of {count} ratings {mean} on the {low}–{high} scale"),
    Measure.OVERDUE_DEDUCTED: gettext_noop(
        "{items} overdue items × {per_item} = {deducted} deducted from {weight}"
    ),
    Measure.NOTHING_MEASURED_FULL: gettext_noop("nothing fell due in the year, full marks by rule"),
    Measure.NOTHING_MEASURED_ZERO: gettext_noop("nothing fell due in the year, no marks by rule"),
}
#: The arithmetic of a line item after what was measured.
LINE_TEXT = gettext_noop("{measure}: {percent} × {weight} = {points} points")
#: A line of the whole explanation: the indicator's label, then its line item.
LABELLED_TEXT = gettext_noop("{label}: {text}")
TOTAL_TEXT = gettext_noop("Total: {sum} = {total} points")
GRADE_TEXT = gettext_noop(" ({grade})")
REGION_TEXT = gettext_noop("Mean of {count} units ({totals}) = {score} points")
NO_DATA_TEXT = {
    "full": gettext_noop("nothing to measure: full marks"),
    "zero": gettext_noop("nothing to measure: no marks"),
}
SCALE_TEXT = gettext_noop("rating scale {low}–{high}")
PER_ITEM_TEXT = gettext_noop("{points} points deducted per overdue item")
#: Between the settings of an indicator (Chinese: "；").
SETTINGS_SEPARATOR = gettext_noop("; ")

Translate = Callable[[str], str]


#: What can be wrong in a rules file, each an English sentence marked for translation;
#: ``{…}`` names the values a problem carries (``tasks.rendering.rules_problem`` words them).
PROBLEM_TEXT = {
    "not_object": gettext_noop("the rules must be an object"),
    "not_json": gettext_noop("not valid JSON ({error})"),
    "wrong_format": gettext_noop("expected {expected}, got {got}"),
    "wrong_year": gettext_noop("expected a year such as 2023, got {got}"),
    "empty_text": gettext_noop("expected a non-empty text"),
    "unknown_key": gettext_noop("unknown key {key}"),
    "no_indicators": gettext_noop("expected a non-empty list"),
    "duplicate_id": gettext_noop("id {id} is used more than once"),
    "weights_total": gettext_noop("weights must sum to 100, they sum to {total}"),
    "not_mapping": gettext_noop("expected an object"),
    "unknown_kind": gettext_noop("unknown kind {kind} (known: {known})"),
    "unknown_external": gettext_noop(
        "no app has registered the indicator {kind} (registered: {known})"
    ),
    "not_positive": gettext_noop("expected a number > 0, got {got}"),
    "missing_param": gettext_noop("missing {name}"),
    "bad_if_no_data": gettext_noop(
        'expected "full" or "zero" (marks when there was nothing to measure), got {got}'
    ),
    "bad_number": gettext_noop("expected a number, got {got}"),
    "scale_order": gettext_noop("scale_min must be below scale_max"),
    "not_list": gettext_noop("expected a list"),
    "bad_min_score": gettext_noop("expected a number from 0 to 100"),
    "bad_rewarded": gettext_noop("expected true or false"),
    "same_min_score": gettext_noop("two grades start at the same score"),
    "no_zero_grade": gettext_noop("one grade must start at 0 so that every score has one"),
    "bad_tie_break": gettext_noop("expected a list of indicator ids"),
    "unknown_tie_break": gettext_noop("{id} is not an indicator id"),
}
#: A problem and its place (Chinese: "{where}：{problem}").
PROBLEM_PLACE_TEXT = gettext_noop("{where}: {problem}")


class Problem(str):
    """One fault of a rules file: where it is (a path in the JSON, or the file), a code of
    :data:`PROBLEM_TEXT` and the values it names.

    It reads as its English sentence (logs, the command line, tests); pages word it in the
    reader's language through ``tasks.rendering.rules_problem``, so nothing renders it in
    advance. A tuple value is an enumeration, joined in the reader's language ("、").
    """

    where: str
    code: str
    params: dict[str, object]

    def __new__(cls, where: str, code: str, **params: object) -> Problem:
        problem = super().__new__(cls, _problem_text(where, code, params, str))
        problem.where, problem.code, problem.params = where, code, params
        return problem

    def describe(self, translate: Translate = str) -> str:
        """The problem, with its place, through ``translate`` (Django's gettext)."""
        return _problem_text(self.where, self.code, self.params, translate)


def _problem_text(where: str, code: str, params: Mapping[str, object], translate) -> str:
    values = {
        name: join_list(value, translate) if isinstance(value, tuple) else value
        for name, value in params.items()
    }
    sentence = translate(PROBLEM_TEXT[code]).format(**values)
    if not where:
        return sentence
    return translate(PROBLEM_PLACE_TEXT).format(where=where, problem=sentence)


class RulesError(ValueError):
    """Scoring rules that cannot be used; ``problems`` lists every one, each with its place."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid scoring rules: " + "; ".join(problems))


@dataclass(frozen=True, slots=True)
class ExternalKind:
    """An indicator kind another app contributes (registered through ``tasks.indicators``):
    a share of what a unit did in time of what fell due to it in the year.

    ``code`` is what the rules name as the indicator's ``kind`` (``app.name``, e.g.
    ``hotline.response_rate``); ``text`` says what it measures (the rules page) and
    ``measure_text`` words one unit's share with ``{met}`` and ``{due}`` (the score card) —
    both English, marked for translation by the app that registers them.
    """

    code: str
    text: str
    measure_text: str

    def __post_init__(self) -> None:
        app, dot, name = self.code.partition(".")
        if not (app and dot and name):
            raise ValueError(f"an external indicator is named app.name, got {self.code!r}")


@dataclass(frozen=True, slots=True)
class Share:
    """One unit's measurement for an external indicator: ``met`` of ``due``."""

    met: int
    due: int

    def __post_init__(self) -> None:
        for value in (self.met, self.due):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"a share counts with integers ≥ 0, got {value!r}")
        if self.met > self.due:
            raise ValueError(f"{self.met} met of only {self.due} due")


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    label: str
    kind: IndicatorKind | str  # an ``ExternalKind.code`` for an external indicator
    weight: Decimal
    params: Mapping[str, object]
    external: ExternalKind | None = None

    def describe_kind(self, translate: Translate = str) -> str:
        if self.external is not None:
            return translate(self.external.text)
        return translate(KIND_TEXT[self.kind])

    def describe_settings(self, translate: Translate = str) -> str:
        """The indicator's parameters in words (the rules page)."""
        parts = []
        if "scale_min" in self.params:
            parts.append(
                translate(SCALE_TEXT).format(
                    low=self.params["scale_min"], high=self.params["scale_max"]
                )
            )
        if "points_per_item" in self.params:
            parts.append(translate(PER_ITEM_TEXT).format(points=self.params["points_per_item"]))
        if "if_no_data" in self.params:
            parts.append(translate(NO_DATA_TEXT[self.params["if_no_data"]]))
        return translate(SETTINGS_SEPARATOR).join(parts)


@dataclass(frozen=True, slots=True)
class Grade:
    """A band of total scores; ``rewarded`` grades earn 以奖代补 rewards (seed task 121)."""

    id: str
    label: str
    min_score: Decimal
    rewarded: bool = False


@dataclass(frozen=True, slots=True)
class ScoringRules:
    year: int
    title: str
    source: str
    indicators: tuple[Indicator, ...]
    grades: tuple[Grade, ...] = ()  # highest ``min_score`` first
    tie_break: tuple[str, ...] = ()  # indicator ids compared, in order, when totals are equal

    @classmethod
    def from_dict(
        cls, data: object, external: Mapping[str, ExternalKind] | None = None
    ) -> ScoringRules:
        """Validate plain data (e.g. parsed JSON) and build the rules; RulesError lists all
        faults. ``external``: the kinds other apps registered, by code (``tasks.indicators``);
        a rule naming any other kind is refused."""
        return _RulesReader(data, dict(external or {})).read()

    @property
    def external_kinds(self) -> tuple[str, ...]:
        """The codes of the external indicators the rules name, whose facts must be measured."""
        return tuple(i.external.code for i in self.indicators if i.external is not None)


def load_rules(
    path: str | Path, external: Mapping[str, ExternalKind] | None = None
) -> ScoringRules:
    """Read a rules file such as tasks/data/assessment-2023.json."""
    with open(path, encoding="utf-8") as handle:
        try:
            data = json.load(handle)
        except json.JSONDecodeError as error:
            raise RulesError([Problem(str(path), "not_json", error=error)]) from None
    return ScoringRules.from_dict(data, external)


@dataclass(frozen=True, slots=True)
class UnitFacts:
    """What one unit delivered in the assessment year (gathered by the ledger's services)."""

    unit: str
    region: str
    milestones_due: int = 0
    milestones_met_on_time: int = 0
    reports_due: int = 0
    reports_on_time: int = 0
    ratings: tuple[Decimal | int | float | str, ...] = ()
    overdue_items: int = 0
    #: The unit's share for each external indicator measured, by ``ExternalKind.code``; a
    #: kind missing here had nothing to measure for the unit.
    external: Mapping[str, Share] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in (
            "milestones_due",
            "milestones_met_on_time",
            "reports_due",
            "reports_on_time",
            "overdue_items",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"unit {self.unit}: {name} must be a count ≥ 0, got {value!r}")
        if self.milestones_met_on_time > self.milestones_due:
            raise ValueError(f"unit {self.unit}: more milestones met on time than fell due")
        if self.reports_on_time > self.reports_due:
            raise ValueError(f"unit {self.unit}: more reports on time than were due")


@dataclass(frozen=True, slots=True)
class LineItem:
    """One indicator's contribution to a score: what was measured (a code and its numbers)
    and the arithmetic, worded by :meth:`describe` in the reader's language."""

    indicator: str
    label: str
    kind: IndicatorKind | str
    raw: Decimal | int | None  # the measured value; None when there was nothing to measure
    normalised: Decimal  # 0 … 1
    weight: Decimal
    points: Decimal
    measure: Measure | None  # None: an external indicator's share, worded by ``text``
    values: Mapping[str, object] = field(default_factory=dict)  # the measure's numbers
    text: str = ""  # an external indicator's ``measure_text`` (English, for translation)

    def describe(self, translate: Translate = str) -> str:
        wording = self.text if self.measure is None else MEASURE_TEXT[self.measure]
        measured = translate(wording).format(**self.values)
        return translate(LINE_TEXT).format(
            measure=measured,
            percent=_percent(self.normalised),
            weight=self.weight,
            points=self.points,
        )

    @property
    def explanation(self) -> str:
        return self.describe()


@dataclass(frozen=True, slots=True)
class ScoreCard:
    unit: str
    region: str
    total: Decimal
    lines: tuple[LineItem, ...]
    grade: Grade | None = None

    def points_of(self, indicator: str) -> Decimal:
        for line in self.lines:
            if line.indicator == indicator:
                return line.points
        raise KeyError(indicator)

    def describe(self, translate: Translate = str) -> str:
        """The score line by line, ending with the total (issue 5)."""
        labelled = translate(LABELLED_TEXT)
        rows = [
            labelled.format(label=line.label, text=line.describe(translate)) for line in self.lines
        ]
        total = translate(TOTAL_TEXT).format(
            sum=" + ".join(str(line.points) for line in self.lines), total=self.total
        )
        if self.grade:
            total += translate(GRADE_TEXT).format(grade=self.grade.label)
        rows.append(total)
        return "\n".join(rows)

    def explain(self) -> str:
        return self.describe()


@dataclass(frozen=True, slots=True)
class RegionScore:
    """A region's score: the plain mean of its units' totals."""

    region: str
    score: Decimal
    units: tuple[ScoreCard, ...]

    def describe(self, translate: Translate = str) -> str:
        totals = join_list((f"{card.unit} {card.total}" for card in self.units), translate)
        return translate(REGION_TEXT).format(count=len(self.units), totals=totals, score=self.score)

    @property
    def explanation(self) -> str:
        return self.describe()


@dataclass(frozen=True, slots=True)
class Ranked[T]:
    rank: int  # 1 = best; equal entries share a rank and the next rank is skipped (1, 2, 2, 4)
    entry: T
    tied: bool = False


# --- scoring -------------------------------------------------------------------------------


def score_unit(facts: UnitFacts, rules: ScoringRules) -> ScoreCard:
    """The unit's score card: one line item per indicator, in the rules' order (issue 5)."""
    lines = tuple(_scorer(indicator)(indicator, facts) for indicator in rules.indicators)
    total = sum((line.points for line in lines), ZERO)
    return ScoreCard(facts.unit, facts.region, total, lines, _grade_of(total, rules.grades))


def score_units(facts: Iterable[UnitFacts], rules: ScoringRules) -> list[ScoreCard]:
    """Score cards of all assessed units; a unit counted twice would distort its region."""
    cards = [score_unit(unit_facts, rules) for unit_facts in facts]
    units = [card.unit for card in cards]
    if len(set(units)) != len(units):
        raise ValueError("a unit appears more than once in the facts")
    return cards


def region_scores(cards: Iterable[ScoreCard]) -> list[RegionScore]:
    """Per region, the mean of its units' totals rounded to 2 places, in region order.

    Issue 5 asks for "a score per unit and per region"; a mean rather than a sum keeps a
    region with many assessed units from outscoring one with few.
    """
    by_region: dict[str, list[ScoreCard]] = {}
    for card in cards:
        by_region.setdefault(card.region, []).append(card)
    return [
        RegionScore(
            region, _points(sum((c.total for c in members), ZERO) / len(members)), tuple(members)
        )
        for region, members in sorted(by_region.items())
    ]


def rank_units(cards: Iterable[ScoreCard], rules: ScoringRules) -> list[Ranked[ScoreCard]]:
    """The ranked table: by total, then by the rules' tie-break indicators, then shared rank.

    Units still equal after the tie-breaks share a rank and are listed by unit name, so the
    table is the same on every run (issue 5: "ties handled deterministically").
    """

    def merit(card: ScoreCard) -> tuple[Decimal, ...]:
        return (card.total, *(card.points_of(indicator) for indicator in rules.tie_break))

    return _ranked(cards, merit, lambda card: card.unit)


def rank_regions(scores: Iterable[RegionScore]) -> list[Ranked[RegionScore]]:
    """Regions by score; equal scores share a rank, listed by region name."""
    return _ranked(scores, lambda score: (score.score,), lambda score: score.region)


def _ranked[T](
    entries: Iterable[T], merit: Callable[[T], tuple], name: Callable[[T], str]
) -> list[Ranked[T]]:
    """Competition ranking (1, 2, 2, 4): best merit first, equal merit in name order."""
    ordered = sorted(entries, key=name)
    ordered.sort(key=merit, reverse=True)  # stable: equal merit keeps name order
    merits = [merit(entry) for entry in ordered]
    ranked: list[Ranked[T]] = []
    for position, entry in enumerate(ordered):
        same_as_previous = position > 0 and merits[position - 1] == merits[position]
        same_as_next = position + 1 < len(merits) and merits[position + 1] == merits[position]
        rank = ranked[-1].rank if same_as_previous else position + 1
        ranked.append(Ranked(rank, entry, same_as_previous or same_as_next))
    return ranked


def _grade_of(total: Decimal, grades: tuple[Grade, ...]) -> Grade | None:
    for grade in grades:
        if total >= grade.min_score:
            return grade
    return None


def _share(value: Decimal) -> Decimal:
    return value.quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def _points(value: Decimal) -> Decimal:
    return value.quantize(POINT_PLACES, rounding=ROUND_HALF_UP)


def _percent(share: Decimal) -> str:
    return f"{_points(share * 100)}%"


def _line(
    indicator: Indicator, raw, normalised: Decimal, measure: Measure | None, **values: object
) -> LineItem:
    return LineItem(
        indicator.id,
        indicator.label,
        indicator.kind,
        raw,
        normalised,
        indicator.weight,
        _points(indicator.weight * normalised),
        measure,
        values,
        indicator.external.measure_text if measure is None and indicator.external else "",
    )


def _count_share(
    indicator: Indicator, met: int, due: int, on_time: Measure, none_due: tuple[Measure, Measure]
) -> LineItem:
    """``none_due``: the measures when nothing fell due, with full marks and with none."""
    if due:
        share = _share(Decimal(met) / due)
        return _line(indicator, share, share, on_time, met=met, due=due)
    full = indicator.params["if_no_data"] == "full"
    return _line(indicator, None, ONE if full else ZERO, none_due[0] if full else none_due[1])


def _score_milestones(indicator: Indicator, facts: UnitFacts) -> LineItem:
    """Share of the milestones due in the year that were met on time (issue 5)."""
    return _count_share(
        indicator,
        facts.milestones_met_on_time,
        facts.milestones_due,
        Measure.MILESTONES_ON_TIME,
        (Measure.NO_MILESTONES_DUE_FULL, Measure.NO_MILESTONES_DUE_ZERO),
    )


def _score_reports(indicator: Indicator, facts: UnitFacts) -> LineItem:
    """Share of the progress reports due in the year that arrived on time (issue 5; 反馈)."""
    return _count_share(
        indicator,
        facts.reports_on_time,
        facts.reports_due,
        Measure.REPORTS_ON_TIME,
        (Measure.NO_REPORTS_DUE_FULL, Measure.NO_REPORTS_DUE_ZERO),
    )


def _score_rating(indicator: Indicator, facts: UnitFacts) -> LineItem:
    """Mean supervisor rating mapped linearly from [scale_min, scale_max] to 0 … 1 (issue 5)."""
    low, high = indicator.params["scale_min"], indicator.params["scale_max"]
    if not facts.ratings:
        full = indicator.params["if_no_data"] == "full"
        measure = Measure.NOT_RATED_FULL if full else Measure.NOT_RATED_ZERO
        return _line(indicator, None, ONE if full else ZERO, measure)
    ratings = [_decimal(rating) for rating in facts.ratings]
    for rating in ratings:
        if rating is None or not low <= rating <= high:
            raise ValueError(
                f"unit {facts.unit}: rating outside the {low}–{high} scale of {indicator.id!r}"
            )
    mean = _points(sum(ratings, ZERO) / len(ratings))
    share = _share((mean - low) / (high - low))
    return _line(
        indicator,
        mean,
        share,
        Measure.MEAN_RATING,
        count=len(ratings),
        mean=mean,
        low=low,
        high=high,
    )


def _score_overdue(indicator: Indicator, facts: UnitFacts) -> LineItem:
    """Overdue items deduct points from this indicator's weight, never below 0 (issue 5)."""
    per_item = indicator.params["points_per_item"]
    deducted = min(per_item * facts.overdue_items, indicator.weight)
    share = _share((indicator.weight - deducted) / indicator.weight)
    return _line(
        indicator,
        facts.overdue_items,
        share,
        Measure.OVERDUE_DEDUCTED,
        items=facts.overdue_items,
        per_item=per_item,
        deducted=deducted,
        weight=indicator.weight,
    )


def _score_external(indicator: Indicator, facts: UnitFacts) -> LineItem:
    """Another app's share (met ÷ due in the year), scored like the milestones' share: a
    unit with nothing due gets full marks or none, as the rule's ``if_no_data`` says."""
    share = facts.external.get(indicator.external.code)
    if share is not None and share.due:
        normalised = _share(Decimal(share.met) / share.due)
        return _line(indicator, normalised, normalised, None, met=share.met, due=share.due)
    full = indicator.params["if_no_data"] == "full"
    measure = Measure.NOTHING_MEASURED_FULL if full else Measure.NOTHING_MEASURED_ZERO
    return _line(indicator, None, ONE if full else ZERO, measure)


_SCORERS: dict[IndicatorKind, Callable[[Indicator, UnitFacts], LineItem]] = {
    IndicatorKind.ON_TIME_MILESTONE_SHARE: _score_milestones,
    IndicatorKind.REPORT_TIMELINESS: _score_reports,
    IndicatorKind.SUPERVISOR_RATING: _score_rating,
    IndicatorKind.OVERDUE_DEDUCTION: _score_overdue,
}


def _scorer(indicator: Indicator) -> Callable[[Indicator, UnitFacts], LineItem]:
    return _score_external if indicator.external is not None else _SCORERS[indicator.kind]


# --- reading rules -------------------------------------------------------------------------

NO_DATA_CHOICES = ("full", "zero")
_KINDS = tuple(IndicatorKind)


def _decimal(value: object) -> Decimal | None:
    """A finite decimal from an int, a float, or a numeric string; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


@dataclass
class _RulesReader:
    data: object
    external: dict[str, ExternalKind] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def _fault(self, where: str, code: str, **params: object) -> None:
        self.problems.append(Problem(where, code, **params))

    def read(self) -> ScoringRules:
        data = self.data
        if not isinstance(data, dict):
            raise RulesError([Problem("", "not_object")])
        self._unknown_keys(
            "rules",
            data,
            {"format", "year", "title", "source", "indicators", "grades", "tie_break"},
        )
        if data.get("format") != RULES_FORMAT:
            self._fault(
                "format", "wrong_format", expected=repr(RULES_FORMAT), got=repr(data.get("format"))
            )
        year = data.get("year")
        if isinstance(year, bool) or not isinstance(year, int):
            self._fault("year", "wrong_year", got=repr(year))
        title = self._text("title", data.get("title"))
        source = self._text("source", data.get("source"))
        indicators = self._indicators(data.get("indicators"))
        grades = self._grades(data.get("grades", []))
        tie_break = self._tie_break(data.get("tie_break", []), _declared_ids(data))
        if self.problems:
            raise RulesError(self.problems)
        return ScoringRules(year, title, source, indicators, grades, tie_break)

    def _text(self, where: str, value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            self._fault(where, "empty_text")
            return ""
        return value

    def _unknown_keys(self, where: str, data: dict, allowed: set[str]) -> None:
        for key in sorted(set(data) - allowed):
            self._fault(where, "unknown_key", key=repr(key))

    def _indicators(self, items: object) -> tuple[Indicator, ...]:
        if not isinstance(items, list) or not items:
            self._fault("indicators", "no_indicators")
            return ()
        indicators = []
        for index, item in enumerate(items):
            indicator = self._indicator(f"indicators[{index}]", item)
            if indicator is not None:
                indicators.append(indicator)
        ids = [indicator.id for indicator in indicators]
        for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
            self._fault("indicators", "duplicate_id", id=repr(duplicate))
        if len(indicators) == len(items):
            total = sum((indicator.weight for indicator in indicators), ZERO)
            if total != TOTAL_WEIGHT:
                self._fault("indicators", "weights_total", total=total)
        return tuple(indicators)

    def _indicator(self, where: str, item: object) -> Indicator | None:
        if not isinstance(item, dict):
            self._fault(where, "not_mapping")
            return None
        self._unknown_keys(where, item, {"id", "label", "kind", "weight", "params"})
        before = len(self.problems)
        identifier = self._text(f"{where}.id", item.get("id"))
        label = self._text(f"{where}.label", item.get("label"))
        kind = item.get("kind")
        external = self.external.get(kind) if isinstance(kind, str) else None
        if kind not in _KINDS and external is None:
            self._unknown_kind(f"{where}.kind", kind)
        weight = _decimal(item.get("weight"))
        if weight is None or weight <= 0:
            self._fault(f"{where}.weight", "not_positive", got=repr(item.get("weight")))
        params = item.get("params", {})
        if not isinstance(params, dict):
            self._fault(f"{where}.params", "not_mapping")
        elif kind in _KINDS or external is not None:
            expected = _PARAMS[IndicatorKind(kind)] if external is None else _EXTERNAL_PARAMS
            params = self._params(f"{where}.params", expected, params)
        if len(self.problems) > before:
            return None
        if external is not None:
            return Indicator(identifier, label, external.code, weight, params, external)
        return Indicator(identifier, label, IndicatorKind(kind), weight, params)

    def _unknown_kind(self, where: str, kind: object) -> None:
        """A dotted name is meant for another app's indicator: say which ones are registered."""
        registered = tuple(sorted(self.external))
        if isinstance(kind, str) and "." in kind:
            self._fault(where, "unknown_external", kind=repr(kind), known=registered or ("—",))
        else:
            known = (*IndicatorKind, *registered)
            self._fault(where, "unknown_kind", kind=repr(kind), known=known)

    def _params(
        self, where: str, expected: dict[str, Callable[[object], object]], params: dict
    ) -> dict[str, object]:
        self._unknown_keys(where, params, set(expected))
        checked = {}
        for name, check in expected.items():
            if name not in params:
                self._fault(where, "missing_param", name=repr(name))
                continue
            value = check(params[name])
            if value is None:
                self._fault(f"{where}.{name}", _PARAM_FAULT[name], got=repr(params[name]))
            checked[name] = value
        low, high = checked.get("scale_min"), checked.get("scale_max")
        if low is not None and high is not None and low >= high:
            self._fault(where, "scale_order")
        return checked

    def _grades(self, items: object) -> tuple[Grade, ...]:
        if not isinstance(items, list):
            self._fault("grades", "not_list")
            return ()
        grades = []
        for index, item in enumerate(items):
            where = f"grades[{index}]"
            if not isinstance(item, dict):
                self._fault(where, "not_mapping")
                continue
            self._unknown_keys(where, item, {"id", "label", "min_score", "rewarded"})
            minimum = _decimal(item.get("min_score"))
            if minimum is None or not ZERO <= minimum <= TOTAL_WEIGHT:
                self._fault(f"{where}.min_score", "bad_min_score")
                continue
            rewarded = item.get("rewarded", False)
            if not isinstance(rewarded, bool):
                self._fault(f"{where}.rewarded", "bad_rewarded")
            grades.append(
                Grade(
                    self._text(f"{where}.id", item.get("id")),
                    self._text(f"{where}.label", item.get("label")),
                    minimum,
                    rewarded is True,
                )
            )
        minimums = [grade.min_score for grade in grades]
        if len(set(minimums)) != len(minimums):
            self._fault("grades", "same_min_score")
        if grades and ZERO not in minimums:
            self._fault("grades", "no_zero_grade")
        return tuple(sorted(grades, key=lambda grade: grade.min_score, reverse=True))

    def _tie_break(self, items: object, ids: set[str]) -> tuple[str, ...]:
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            self._fault("tie_break", "bad_tie_break")
            return ()
        for item in items:
            if item not in ids:
                self._fault("tie_break", "unknown_tie_break", id=repr(item))
        return tuple(items)


def _declared_ids(data: dict) -> set[object]:
    """Indicator ids as written, so one faulty indicator does not also fault the tie-break."""
    items = data.get("indicators")
    if not isinstance(items, list):
        return set()
    return {
        item.get("id")
        for item in items
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    }


def _choice(value: object) -> str | None:
    return value if value in NO_DATA_CHOICES else None


def _positive(value: object) -> Decimal | None:
    number = _decimal(value)
    return number if number is not None and number > 0 else None


_PARAMS: dict[IndicatorKind, dict[str, Callable[[object], object]]] = {
    IndicatorKind.ON_TIME_MILESTONE_SHARE: {"if_no_data": _choice},
    IndicatorKind.REPORT_TIMELINESS: {"if_no_data": _choice},
    IndicatorKind.SUPERVISOR_RATING: {
        "scale_min": _decimal,
        "scale_max": _decimal,
        "if_no_data": _choice,
    },
    IndicatorKind.OVERDUE_DEDUCTION: {"points_per_item": _positive},
}
#: An external indicator is a share: its only setting is the marks when nothing fell due.
_EXTERNAL_PARAMS: dict[str, Callable[[object], object]] = {"if_no_data": _choice}

#: The problem each indicator setting reports when its value does not pass its check.
_PARAM_FAULT = {
    "if_no_data": "bad_if_no_data",
    "scale_min": "bad_number",
    "scale_max": "bad_number",
    "points_per_item": "not_positive",
}
