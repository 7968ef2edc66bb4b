"""热点 rules (hotline.hotspots, issue 15 point 6): periods, totals, the grid, rising spots."""

import datetime as dt
from decimal import Decimal

import pytest

from shuzheng.hotline import hotspots
from shuzheng.hotline.hotspots import Cell

D = dt.date


def test_weeks_start_on_monday_and_months_on_the_first():
    assert hotspots.period_start("week", D(2026, 12, 4)) == D(2026, 11, 30)
    assert hotspots.period_end("week", D(2026, 11, 30)) == D(2026, 12, 6)
    assert hotspots.period_start("month", D(2026, 2, 28)) == D(2026, 2, 1)
    assert hotspots.period_end("month", D(2026, 2, 1)) == D(2026, 2, 28)
    assert hotspots.period_end("month", D(2026, 12, 1)) == D(2026, 12, 31)
    assert hotspots.periods("month", D(2026, 2, 10), 3) == [
        D(2025, 12, 1),
        D(2026, 1, 1),
        D(2026, 2, 1),
    ]
    assert hotspots.periods("week", D(2026, 12, 4), 2) == [D(2026, 11, 23), D(2026, 11, 30)]
    assert hotspots.period_label("week", D(2026, 11, 30)) == "2026-11-30"
    assert hotspots.period_label("month", D(2026, 11, 1)) == "2026-11"
    with pytest.raises(ValueError, match="unknown period"):
        hotspots.period_start("quarter", D(2026, 1, 1))


STARTS = hotspots.periods("week", D(2026, 12, 4), 6)  # 10-26 … 11-30


def cells(category, place, *counts):
    return [
        Cell(category, place, start, count)
        for start, count in zip(STARTS, counts, strict=True)
        if count
    ]


def test_a_spot_rises_above_the_mean_of_the_four_periods_before():
    data = (
        cells("wages", "640104", 9, 1, 1, 1, 1, 4)  # baseline 1.00 (the first week is too old)
        + cells("street", "640104", 0, 3, 3, 3, 3, 3)  # steady: not rising
        + cells("heating", "640205", 0, 0, 0, 0, 0, 3)  # new in the newest week
        + cells("water", "640302", 0, 0, 0, 0, 0, 1)  # one call is no trend
    )
    spots = hotspots.rising(data, STARTS)
    assert [(s.category, s.current, s.baseline, s.rise) for s in spots] == [
        ("wages", 4, Decimal("1.00"), Decimal("3.00")),  # equal rise: the larger count first
        ("heating", 3, Decimal("0.00"), Decimal("3.00")),
    ]
    assert spots[1].is_new and not spots[0].is_new
    assert hotspots.rising(data, STARTS, limit=1) == spots[:1]
    assert hotspots.rising(data, STARTS[-2:])[0].baseline == Decimal("1.00")  # one before


def test_totals_and_the_grid_put_the_busiest_first():
    data = cells("wages", "640104", 0, 1, 0, 0, 0, 2) + cells("street", "640205", 1, 1, 1, 1, 0, 0)
    assert hotspots.totals(data, "category") == {"street": 4, "wages": 3}
    assert hotspots.totals(data, "period")[STARTS[1]] == 2
    rows = hotspots.grid(data, STARTS)
    assert [(row.category, row.counts, row.total) for row in rows] == [
        ("street", (1, 1, 1, 1, 0, 0), 4),
        ("wages", (0, 1, 0, 0, 0, 2), 3),
    ]
    assert hotspots.grid(data, STARTS, limit=1) == rows[:1]


def test_a_page_s_choice_falls_back_to_weeks_and_counties():
    assert hotspots.choice({"period": "month", "level": "city"}) == ("month", "city")
    assert hotspots.choice({"period": "decade", "level": "street"}) == ("week", "county")
    assert hotspots.choice({}) == ("week", "county")
