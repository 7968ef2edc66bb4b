"""Hot spots (热点) of the 12345 hotline: requests by category, place and time, and the spots
rising fastest (issue 15, point 6: "a hot-spot view by category, place and time for the
dashboard").

Plain Python, no Django. Callers count the requests of each (category, place, period) — a
place is a city or a county, a period a week (from Monday) or a month, in local time — and
hand the counts in as :class:`Cell` rows. A spot (a category in a place) is *rising* when its
requests in the newest period outnumber the mean of the ``BASELINE`` periods before it; the
newest period is the current one, counted up to now. Spots rise by the difference (requests
above the baseline), then by the newest count, then by name, so the list is the same on every
run. A spot needs ``MINIMUM`` requests in the newest period to count: one call is no trend.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

WEEK = "week"
MONTH = "month"
PERIOD_KINDS = (WEEK, MONTH)
#: Periods before the newest one that make a spot's baseline.
BASELINE = 4
#: Requests a spot needs in the newest period to be listed as rising.
MINIMUM = 2
#: Periods the views show: twelve weeks or twelve months.
SHOWN = 12
#: The levels a spot's place is counted at (the region codes' levels): "city/county".
CITY = "city"
COUNTY = "county"
PLACE_LEVELS = (CITY, COUNTY)


def choice(params) -> tuple[str, str]:
    """The period (week, month) and place level (county, city) a page's query asks for
    (``period``, ``level``); anything else falls back to weeks and counties, as a chart's
    period does on the dashboard."""
    kind, level = params.get("period", WEEK), params.get("level", COUNTY)
    return (
        kind if kind in PERIOD_KINDS else WEEK,
        level if level in PLACE_LEVELS else COUNTY,
    )


def period_label(kind: str, start: dt.date) -> str:
    """A week by its Monday (2026-11-30), a month by its year and month (2026-11)."""
    return start.isoformat() if kind == WEEK else start.strftime("%Y-%m")


def period_start(kind: str, day: dt.date) -> dt.date:
    """The first day of the week (Monday) or month that ``day`` falls in."""
    if kind == WEEK:
        return day - dt.timedelta(days=day.weekday())
    if kind == MONTH:
        return day.replace(day=1)
    raise ValueError(f"unknown period {kind!r}")


def period_end(kind: str, start: dt.date) -> dt.date:
    """The last day of the period that starts on ``start``."""
    if kind == WEEK:
        return start + dt.timedelta(days=6)
    following = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def periods(kind: str, today: dt.date, count: int) -> list[dt.date]:
    """The starts of the ``count`` periods up to the one of ``today``, oldest first."""
    starts = [period_start(kind, today)]
    while len(starts) < count:
        starts.append(period_start(kind, starts[-1] - dt.timedelta(days=1)))
    return starts[::-1]


@dataclass(frozen=True, slots=True)
class Cell:
    """How many requests of one category came from one place in one period."""

    category: str  # a category code
    place: str  # a region code (city or county)
    period: dt.date  # the period's first day
    count: int


@dataclass(frozen=True, slots=True)
class Spot:
    """A category in a place: its newest period's requests against its baseline."""

    category: str
    place: str
    current: int
    baseline: Decimal  # mean requests per period over the baseline periods, 2 places
    rise: Decimal  # current − baseline

    @property
    def is_new(self) -> bool:
        """No request in the baseline periods: a spot that appeared in the newest one."""
        return self.baseline == 0


def totals(cells: Iterable[Cell], key: str) -> dict[str, int]:
    """Requests per ``key`` ("category", "place" or "period"), the most first, then by key."""
    found: dict = defaultdict(int)
    for cell in cells:
        found[getattr(cell, key)] += cell.count
    return dict(sorted(found.items(), key=lambda item: (-item[1], str(item[0]))))


@dataclass(frozen=True, slots=True)
class Row:
    """A spot's requests in each period shown (in the order of the periods) and in all."""

    category: str
    place: str
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


def grid(cells: Iterable[Cell], starts: list[dt.date], limit: int | None = None) -> list[Row]:
    """Category × place × period: one row per spot, the busiest over all periods first."""
    position = {start: index for index, start in enumerate(starts)}
    counts: dict[tuple[str, str], list[int]] = {}
    for cell in cells:
        row = counts.setdefault((cell.category, cell.place), [0] * len(starts))
        row[position[cell.period]] += cell.count
    rows = [Row(category, place, tuple(values)) for (category, place), values in counts.items()]
    rows.sort(key=lambda row: (-row.total, row.category, row.place))
    return rows if limit is None else rows[:limit]


def rising(
    cells: Iterable[Cell],
    starts: list[dt.date],
    *,
    baseline: int = BASELINE,
    minimum: int = MINIMUM,
    limit: int | None = None,
) -> list[Spot]:
    """The spots whose newest period (``starts[-1]``) is above the mean of the ``baseline``
    periods before it (fewer when ``starts`` has fewer), the steepest rise first."""
    newest, before = starts[-1], set(starts[-1 - baseline : -1])
    current: dict[tuple[str, str], int] = defaultdict(int)
    earlier: dict[tuple[str, str], int] = defaultdict(int)
    for cell in cells:
        if cell.period == newest:
            current[(cell.category, cell.place)] += cell.count
        elif cell.period in before:
            earlier[(cell.category, cell.place)] += cell.count
    spots = []
    for (category, place), count in current.items():
        if count < minimum:
            continue
        mean = _two_places(Decimal(earlier[(category, place)]) / max(len(before), 1))
        if count > mean:
            spots.append(Spot(category, place, count, mean, count - mean))
    spots.sort(key=lambda spot: (-spot.rise, -spot.current, spot.category, spot.place))
    return spots if limit is None else spots[:limit]


def _two_places(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
