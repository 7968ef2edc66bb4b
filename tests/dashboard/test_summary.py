"""Counting the ledger for the dashboard: lights, categories, units, years, trends (issue 5)."""

from datetime import date

import pytest

from shuzheng.dashboard.summary import (
    MONTH,
    QUARTER,
    Summary,
    TaskRow,
    on_time_trend,
    summarise,
)

TODAY = date(2024, 3, 15)
FIN = ("nx-finance", "自治区财政厅")
OFFICE = ("nx-gov-office", "自治区政府办公厅")


def rows():
    return [
        TaskRow(1, "red", "数字机关", (FIN,), ((date(2023, 12, 31), None),)),
        TaskRow(2, "red", "数字机关", (FIN, OFFICE), ((date(2023, 12, 31), date(2024, 1, 5)),)),
        TaskRow(3, "green", "数字经济", (OFFICE,), ((date(2024, 12, 31), None),), True),
        TaskRow(4, "yellow", "", (), (), True),
        TaskRow(5, "grey", "数字经济", (OFFICE,), ((date(2023, 6, 30), date(2023, 6, 1)),)),
        TaskRow(6, "yellow", "数字经济", (FIN, FIN)),
    ]


def test_lights_are_counted_with_their_share():
    summary = summarise(rows(), TODAY)
    assert summary.lights == {"red": 2, "yellow": 2, "green": 1, "grey": 1}
    assert summary.total == 6
    assert summary.share("red") == pytest.approx(1 / 3)


def test_categories_and_units_list_the_most_red_first():
    summary = summarise(rows(), TODAY)
    assert [(c.key, c.counts["red"], c.total) for c in summary.categories] == [
        ("数字机关", 2, 2),
        ("数字经济", 0, 3),
        ("", 0, 1),
    ]
    # a task counts once per unit, and a unit named twice on a task counts once
    assert [(u.key, u.label, u.total) for u in summary.units] == [
        ("nx-finance", "自治区财政厅", 3),
        ("nx-gov-office", "自治区政府办公厅", 3),
    ]
    assert summary.units[0].counts == {"red": 2, "yellow": 1, "green": 0, "grey": 0}


def test_deadline_years_in_calendar_order_then_ongoing_then_unread():
    summary = summarise(rows(), TODAY)
    assert [(y.key, y.total) for y in summary.years] == [
        ("2023", 3),
        ("2024", 1),
        ("ongoing", 1),
        ("none", 1),
    ]


def test_the_on_time_trend_counts_milestones_in_the_period_they_fell_due():
    milestones = [
        (date(2023, 6, 30), date(2023, 6, 1)),  # Q2 on time
        (date(2023, 12, 31), None),  # Q4 missed
        (date(2023, 12, 31), date(2024, 1, 5)),  # Q4 late
        (date(2023, 12, 31), date(2023, 12, 31)),  # Q4 on the day: on time
        (date(2024, 12, 31), None),  # not yet due
        (date(2024, 3, 1), date(2024, 2, 1)),  # Q1 2024 on time
    ]
    trend = on_time_trend(milestones, TODAY, QUARTER)
    assert [(r.period, r.due, r.on_time) for r in trend] == [
        ("2023-Q2", 1, 1),
        ("2023-Q3", 0, 0),
        ("2023-Q4", 3, 1),
        ("2024-Q1", 1, 1),
    ]
    assert trend[1].rate is None
    assert trend[2].rate == pytest.approx(1 / 3)


def test_an_achievement_recorded_after_today_does_not_count_yet():
    trend = on_time_trend([(date(2024, 3, 1), date(2024, 2, 1))], date(2024, 1, 31), MONTH)
    assert trend == ()
    trend = on_time_trend([(date(2024, 1, 31), date(2024, 2, 1))], date(2024, 1, 31), MONTH)
    assert [(r.period, r.due, r.on_time) for r in trend] == [("2024-01", 1, 0)]


def test_the_trend_keeps_only_the_last_twelve_periods():
    milestones = [(date(2020, 1, 31), None), (date(2023, 4, 30), None)]
    trend = on_time_trend(milestones, TODAY, MONTH)
    assert trend[0].period == "2023-04" and trend[-1].period == "2024-03"
    assert len(trend) == 12
    assert sum(rate.due for rate in trend) == 1  # 2020 lies outside the window
    # the window starts at the first period with a milestone due
    assert on_time_trend([(date(2024, 2, 29), None)], TODAY, MONTH)[0].period == "2024-02"


def test_an_unknown_period_or_light_is_refused():
    with pytest.raises(ValueError, match="unknown period 'week'"):
        on_time_trend([], TODAY, "week")
    with pytest.raises(ValueError, match="unknown light 'blue'"):
        TaskRow(1, "blue")


def test_a_summary_survives_its_json_form():
    summary = summarise(rows(), TODAY)
    again = Summary.from_json(summary.to_json())
    assert again == summary
