"""JSON API of the dashboard: /api/v1/dashboard/summary and /assessment/{year} (issue 5)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext
from ninja import Router, Schema
from ninja.errors import HttpError

from shuzheng import clock
from shuzheng.accounts.api_auth import SIGNED_IN
from shuzheng.accounts.authorization import api_requires
from shuzheng.api_contract import Year
from shuzheng.dashboard import services
from shuzheng.dashboard.summary import LIGHTS, Breakdown

router = Router(tags=["dashboard"], auth=SIGNED_IN)


class BreakdownOut(Schema):
    key: str
    label: str
    counts: dict[str, int]
    total: int


class PeriodOut(Schema):
    period: str
    due: int
    on_time: int
    rate: float | None


class SummaryOut(Schema):
    as_of: datetime.date
    computed_at: datetime.datetime
    stale: bool
    total: int
    lights: dict[str, int]
    shares: dict[str, float]
    categories: list[BreakdownOut]
    units: list[BreakdownOut]
    deadline_years: list[BreakdownOut]
    trend_quarter: list[PeriodOut]
    trend_month: list[PeriodOut]


class LineOut(Schema):
    indicator: str
    label: str
    kind: str
    raw: str | None
    normalised: str
    weight: str
    points: str
    explanation: str


class UnitScoreOut(Schema):
    rank: int
    tied: bool
    unit: str
    unit_code: str
    region: str
    total: str
    grade: str | None
    rewarded: bool
    lines: list[LineOut]
    explanation: str


class RegionScoreOut(Schema):
    rank: int
    tied: bool
    region: str
    score: str
    explanation: str


class AssessmentOut(Schema):
    year: int
    as_of: datetime.date
    title: str
    source: str
    units: list[UnitScoreOut]
    regions: list[RegionScoreOut]


@router.get("/summary", response=SummaryOut, operation_id="dashboard_summary")
@api_requires("supervise_tasks")
def summary(request):
    """The numbers behind the dashboard, from today's snapshot (with its freshness)."""
    snapshot = services.current_snapshot()
    data = services.summary_of(snapshot)
    return {
        "as_of": snapshot.as_of,
        "computed_at": snapshot.computed_at,
        "stale": snapshot.stale,
        "total": data.total,
        "lights": data.lights,
        "shares": {light: round(data.share(light), 4) for light in LIGHTS},
        "categories": [_breakdown(entry) for entry in data.categories],
        "units": [_breakdown(entry) for entry in data.units],
        "deadline_years": [_breakdown(entry) for entry in data.years],
        "trend_quarter": [_period(rate) for rate in data.trends["quarter"]],
        "trend_month": [_period(rate) for rate in data.trends["month"]],
    }


@router.get("/assessment/{year}", response=AssessmentOut, operation_id="dashboard_assessment")
@api_requires("supervise_tasks")
def assessment(request, year: Year):
    """The year's ranking of units and regions, each unit's score with its line items.

    Decimal values are strings, so that the points add up exactly as printed.
    """
    try:
        result = services.assess(year, clock.today())
    except services.NoRules:
        raise HttpError(404, f"no assessment rules for {year}") from None
    return {
        "year": year,
        "as_of": result.as_of,
        "title": result.rules.title,
        "source": result.rules.source,
        "units": [
            {
                "rank": ranked.rank,
                "tied": ranked.tied,
                "unit": ranked.entry.unit,
                "unit_code": result.codes[ranked.entry.unit],
                "region": ranked.entry.region,
                "total": str(ranked.entry.total),
                "grade": ranked.entry.grade.label if ranked.entry.grade else None,
                "rewarded": bool(ranked.entry.grade and ranked.entry.grade.rewarded),
                "lines": [
                    {
                        "indicator": line.indicator,
                        "label": line.label,
                        "kind": str(line.kind),
                        "raw": None if line.raw is None else str(line.raw),
                        "normalised": str(line.normalised),
                        "weight": str(line.weight),
                        "points": str(line.points),
                        "explanation": line.describe(gettext),
                    }
                    for line in ranked.entry.lines
                ],
                "explanation": ranked.entry.describe(gettext),
            }
            for ranked in result.units
        ],
        "regions": [
            {
                "rank": ranked.rank,
                "tied": ranked.tied,
                "region": ranked.entry.region,
                "score": str(ranked.entry.score),
                "explanation": ranked.entry.describe(gettext),
            }
            for ranked in result.regions
        ],
    }


def _breakdown(entry: Breakdown) -> dict:
    return {"key": entry.key, "label": entry.label, "counts": entry.counts, "total": entry.total}


def _period(rate) -> dict:
    return {"period": rate.period, "due": rate.due, "on_time": rate.on_time, "rate": rate.rate}
