"""The dashboard's 12345 hot-spot panels (issue 15 point 6: "a hot-spot view by category,
place and time for the dashboard").

The counts come from ``shuzheng.hotline.selectors.hot_spot_counts`` and the rising spots from
``hotline.hotspots`` (a read model may read a domain app); the charts are the dashboard's own
(``charts``), so they are accessible the same way. Every bar and every number links to the
hotline's 我的工单 filtered to what it counts; the hotline's hot-spot page is the drill-down
(category × place × period).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from shuzheng.dashboard.charts import Bar, Chart, Segment, Series, bar_chart
from shuzheng.hotline import hotspots
from shuzheng.hotline.selectors import hot_spot_counts

CATEGORIES_SHOWN = 12
PLACES_SHOWN = 15
RISING_SHOWN = 8
#: One colour for the requests (``series-c0`` in dashboard.css).
REQUESTS = "c0"


@dataclass(frozen=True, slots=True)
class RisingSpot:
    category: str
    place: str
    spot: hotspots.Spot
    href: str


@dataclass(frozen=True, slots=True)
class HotlinePanels:
    kind: str
    level: str
    first: str
    last: str
    total: int
    by_category: Chart
    by_place: Chart
    by_period: Chart
    rising: list[RisingSpot]


def build_hotline_panels(kind: str, level: str) -> HotlinePanels:
    found = hot_spot_counts(kind, level, hotspots.SHOWN)
    series = [Series(REQUESTS, _("Requests"))]

    def bar(label: str, count: int, href: str) -> Bar:
        return Bar(label, (Segment(REQUESTS, count, href),), href)

    categories = list(hotspots.totals(found.cells, "category").items())[:CATEGORIES_SHOWN]
    places = list(hotspots.totals(found.cells, "place").items())[:PLACES_SHOWN]
    per_period = hotspots.totals(found.cells, "period")
    labels = [hotspots.period_label(kind, start) for start in found.starts]
    return HotlinePanels(
        kind=kind,
        level=level,
        first=labels[0],
        last=labels[-1],
        total=sum(per_period.values()),
        by_category=bar_chart(
            _("12345 requests by category"),
            [
                bar(found.categories[code], count, found.list_url(category=code))
                for code, count in categories
            ],
            series,
        ),
        by_place=bar_chart(
            _("12345 requests by place"),
            [bar(found.places[code], count, found.list_url(place=code)) for code, count in places],
            series,
        ),
        by_period=bar_chart(
            _("12345 requests by week") if kind == hotspots.WEEK else _("12345 requests by month"),
            [
                bar(label, per_period.get(start, 0), found.list_url(start=start))
                for label, start in zip(labels, found.starts, strict=True)
            ],
            series,
        ),
        rising=[
            RisingSpot(
                found.categories[spot.category],
                found.places[spot.place],
                spot,
                found.list_url(spot.category, spot.place, found.starts[-1]),
            )
            for spot in hotspots.rising(found.cells, found.starts, limit=RISING_SHOWN)
        ],
    )
