"""Use cases of the dashboard: the per-day snapshot, the assessment rules, the assessment.

Issue 5, items 3 and 5. The only writers of the dashboard's tables; each write runs in one
transaction and (for the rules, which people change) leaves an audit event.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from shuzheng import clock
from shuzheng.audit.services import record_change, snapshot
from shuzheng.dashboard import ledger
from shuzheng.dashboard.models import AssessmentRules, DashboardSnapshot
from shuzheng.dashboard.summary import Summary, summarise
from shuzheng.tasks.indicators import registered_kinds
from shuzheng.tasks.scoring import (
    Ranked,
    RegionScore,
    RulesError,
    ScoreCard,
    ScoringRules,
    rank_regions,
    rank_units,
    region_scores,
    score_units,
)

#: A snapshot that took less than this to compute is recomputed as soon as the ledger has
#: changed; a bigger ledger shows the stale one, says so, and waits for ``refreshdashboard``
#: or the refresh button (the page must stay fast: issue 5 benchmark, < 200 ms).
RECOMPUTE_ON_VIEW_BELOW_MS = 500


# --- the snapshot --------------------------------------------------------------------------


@transaction.atomic
def refresh_snapshot(today: date | None = None) -> DashboardSnapshot:
    """Count the ledger's stored lights into the dashboard's numbers as of ``today``.

    The lights are the tasks' own (``tasks.services.lights``, kept current by the writes and
    the scheduled refresh); this only counts them, in one transaction. A system job (the
    ``refreshdashboard`` command, the worker, the page itself): it changes no record of the
    ledger, so it is not audited.
    """
    today = today or clock.today()
    started = time.perf_counter()
    summary = summarise(ledger.ledger_tasks(), today)
    duration_ms = round((time.perf_counter() - started) * 1000)
    DashboardSnapshot.objects.filter(as_of__lt=today).delete()
    snapshot_row, _created = DashboardSnapshot.objects.update_or_create(
        as_of=today,
        defaults={
            "computed_at": clock.now(),
            "duration_ms": duration_ms,
            "stale": False,
            "summary": summary.to_json(),
        },
    )
    return snapshot_row


def current_snapshot(today: date | None = None) -> DashboardSnapshot:
    """Today's snapshot: computed if missing, recomputed if stale and cheap to recompute."""
    today = today or clock.today()
    found = DashboardSnapshot.objects.filter(as_of=today).first()
    if found is None:
        return refresh_snapshot(today)
    if found.stale and found.duration_ms < RECOMPUTE_ON_VIEW_BELOW_MS:
        return refresh_snapshot(today)
    return found


def mark_snapshot_stale() -> None:
    """The ledger changed: the snapshot no longer shows it (``tasks.changes`` calls it after
    every transaction that changed a task; registered in ``DashboardConfig.ready``)."""
    DashboardSnapshot.objects.filter(stale=False).update(stale=True)


def summary_of(snapshot_row: DashboardSnapshot) -> Summary:
    return Summary.from_json(snapshot_row.summary)


# --- assessment rules ----------------------------------------------------------------------


def rules_for_year(year: int) -> ScoringRules | None:
    """The rules stored for the year (uploaded, or by the sample loader), if any."""
    stored = AssessmentRules.objects.filter(year=year).first()
    return ScoringRules.from_dict(stored.rules, registered_kinds()) if stored is not None else None


def rule_years() -> list[int]:
    """Years with stored rules, newest first."""
    return list(AssessmentRules.objects.order_by("-year").values_list("year", flat=True))


def parse_rules_upload(content: bytes) -> dict:
    """Read an uploaded rules file; RulesError with a readable problem if it is not JSON."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RulesError([_("the file is not UTF-8 text")]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise RulesError(
            [_("not valid JSON: %(error)s") % {"error": f"{error.msg} (line {error.lineno})"}]
        ) from None


@transaction.atomic
def save_rules(data: object, *, actor) -> AssessmentRules:
    """Store a year's indicator system after validating it (seed task 121: 每年度制定…考核指标体系).

    ``tasks.scoring`` validates; any fault raises RulesError listing every problem, and
    nothing is stored. A year's rules replace the previous ones; the audit trail keeps both.
    """
    rules = ScoringRules.from_dict(data, registered_kinds())
    existing = AssessmentRules.objects.select_for_update().filter(year=rules.year).first()
    before = snapshot(existing) if existing is not None else None
    stored = existing or AssessmentRules(year=rules.year)
    stored.rules = data
    stored.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    stored.save()
    record_change(
        actor=actor,
        action="dashboard.save_rules",
        obj=stored,
        before=before,
        after=snapshot(stored),
    )
    return stored


def rules_to_start_from(year: int) -> ScoringRules | None:
    """The rules a year without rules may start from: the closest earlier year's, else the
    closest later year's (issue 14: "offers to start from the last year's rules")."""
    years = rule_years()
    earlier = [stored for stored in years if stored < year]
    later = sorted(stored for stored in years if stored > year)
    source = earlier[0] if earlier else (later[0] if later else None)
    return rules_for_year(source) if source is not None else None


@transaction.atomic
def start_rules_from(year: int, *, actor) -> AssessmentRules:
    """Store ``year``'s rules as a copy of :func:`rules_to_start_from` — same indicators,
    weights and grades; the title names the new year — through :func:`save_rules` (validated,
    audited). A year that has rules keeps them (RulesError); so does a platform without any."""
    if AssessmentRules.objects.filter(year=year).exists():
        raise RulesError([_("The rules for %(year)s exist already.") % {"year": year}])
    source = rules_to_start_from(year)
    if source is None:
        raise RulesError([_("No year has rules to start from; upload a rules file.")])
    data = json.loads(json.dumps(AssessmentRules.objects.get(year=source.year).rules))
    data["year"] = year
    data["title"] = str(data.get("title", "")).replace(f"{source.year}", f"{year}", 1)
    return save_rules(data, actor=actor)


# --- assessment ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Assessment:
    """A year's assessment as of a day: ranked units, ranked regions, unit codes for links."""

    year: int
    as_of: date
    rules: ScoringRules
    units: list[Ranked[ScoreCard]]
    regions: list[Ranked[RegionScore]]
    codes: dict[str, str]  # unit name → unit code

    def card_of(self, code: str) -> Ranked[ScoreCard] | None:
        for ranked in self.units:
            if self.codes.get(ranked.entry.unit) == code:
                return ranked
        return None


class NoRules(LookupError):
    """No assessment rules exist for the year asked about."""


def assess(year: int, today: date | None = None) -> Assessment:
    """Score, rank and explain every accountable unit and region for ``year`` (issue 5).

    Facts come from the ledger as of ``today`` (or the year's last day once it is over);
    the arithmetic and the explanations are ``tasks.scoring``'s.
    """
    today = today or clock.today()
    rules = rules_for_year(year)
    if rules is None:
        raise NoRules(year)
    facts = ledger.unit_facts(year, today, rules.external_kinds)
    cards = score_units(facts.values(), rules)
    return Assessment(
        year,
        min(today, date(year, 12, 31)),
        rules,
        rank_units(cards, rules),
        rank_regions(region_scores(cards)),
        {fact.unit: code for code, fact in facts.items()},
    )
