"""The dashboard's panels: a summary turned into charts whose every number drills down.

Issue 5, item 3 ("drill-down from any number to the list behind it"): each bar segment,
bar total and trend point links to the drill-down list filtered the way it was counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from shuzheng.dashboard.charts import Bar, Chart, Point, Segment, Series, bar_chart, line_chart
from shuzheng.dashboard.summary import (
    LIGHTS,
    ONGOING,
    QUARTER,
    UNREAD,
    Breakdown,
    Summary,
)
from shuzheng.tasks.status import Light

UNITS_SHOWN = 15
CATEGORIES_SHOWN = 12


def light_labels() -> dict[str, str]:
    return {
        Light.RED: _("Overdue (red)"),
        Light.YELLOW: _("At risk (yellow)"),
        Light.GREEN: _("On track (green)"),
        Light.GREY: _("Closed or achieved (grey)"),
    }


def drilldown_url(**filters) -> str:
    query = {key: value for key, value in filters.items() if value is not None}
    return reverse("dashboard:tasks") + ("?" + urlencode(query) if query else "")


@dataclass(frozen=True, slots=True)
class LightTile:
    light: str
    label: str
    count: int
    share: float
    href: str


@dataclass(frozen=True, slots=True)
class Panels:
    tiles: list[LightTile]
    total: int
    by_light: Chart
    by_category: Chart
    by_unit: Chart
    by_year: Chart
    trend: Chart
    more_units: int
    more_categories: int


def build_panels(summary: Summary, trend_period: str = QUARTER) -> Panels:
    labels = light_labels()
    series = [Series(light, labels[light]) for light in LIGHTS]
    tiles = [
        LightTile(
            light,
            labels[light],
            summary.lights[light],
            summary.share(light),
            drilldown_url(light=light),
        )
        for light in LIGHTS
    ]
    by_light = bar_chart(
        _("Tasks by status light"),
        [
            Bar(tile.label, (Segment(tile.light, tile.count, tile.href),), tile.href)
            for tile in tiles
        ],
        series,
    )
    return Panels(
        tiles=tiles,
        total=summary.total,
        by_light=by_light,
        by_category=bar_chart(
            _("Tasks by category"),
            [
                _bar(entry, "category", _category_label(entry.label))
                for entry in summary.categories[:CATEGORIES_SHOWN]
            ],
            series,
        ),
        by_unit=bar_chart(
            _("Tasks by responsible unit (lead or owner)"),
            [_bar(entry, "unit", entry.label) for entry in summary.units[:UNITS_SHOWN]],
            series,
        ),
        by_year=bar_chart(
            _("Tasks by deadline year"),
            [_bar(entry, "year", _year_label(entry.key)) for entry in summary.years],
            series,
        ),
        trend=_trend(summary, trend_period),
        more_units=max(len(summary.units) - UNITS_SHOWN, 0),
        more_categories=max(len(summary.categories) - CATEGORIES_SHOWN, 0),
    )


def _bar(entry: Breakdown, dimension: str, label: str) -> Bar:
    return Bar(
        label,
        tuple(
            Segment(
                light, entry.counts[light], drilldown_url(**{dimension: entry.key}, light=light)
            )
            for light in LIGHTS
        ),
        drilldown_url(**{dimension: entry.key}),
    )


def _category_label(category: str) -> str:
    return category or _("(no category)")


def _year_label(key: str) -> str:
    if key == ONGOING:
        return _("Ongoing")
    if key == UNREAD:
        return _("No deadline read")
    return key


def _trend(summary: Summary, period: str) -> Chart:
    points = [
        Point(
            rate.period,
            rate.rate,
            _("%(on_time)s of %(due)s on time") % {"on_time": rate.on_time, "due": rate.due},
        )
        for rate in summary.trends[period]
    ]
    title = (
        _("On-time rate of milestones, by quarter")
        if period == QUARTER
        else _("On-time rate of milestones, by month")
    )
    return line_chart(title, points, _("On-time rate"), _("Milestones"))
