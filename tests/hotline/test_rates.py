"""响应率, 解决率, 满意率 (hotline.rates, issue 15 point 4)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from shuzheng.hotline import rates

CST = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=CST)


def at(day, hour=9):
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=CST)


def outcome(unit="u1", region="640104", **fields):
    fields.setdefault("response_due_at", at(2, 17))
    fields.setdefault("resolution_due_at", at(16, 17))
    return rates.Outcome(unit=unit, region=region, **fields)


def test_each_rate_counts_in_time_over_due():
    outcomes = [
        # Signed for in time, resolved in time, 满意.
        outcome(responded_at=at(2), resolved_at=at(10), satisfaction="satisfied"),
        # Signed for late, resolved late, 基本满意 (counts as satisfied).
        outcome(responded_at=at(3), resolved_at=at(20), satisfaction="basically_satisfied"),
        # Never signed for, past both limits; the caller was called back 不满意.
        outcome(satisfaction="dissatisfied"),
        # Received today: within both limits and not handled — due for nothing yet.
        outcome(
            response_due_at=at(30, 17), resolution_due_at=dt.datetime(2026, 12, 14, tzinfo=CST)
        ),
    ]
    (summary,) = rates.summarise(outcomes, NOW, rates.by_unit).values()
    assert summary.requests == 4
    assert (summary.responded_in_time, summary.due_response) == (1, 3)
    assert (summary.resolved_in_time, summary.due_resolution) == (1, 3)
    assert (summary.satisfied, summary.rated) == (2, 3)
    assert summary.response_rate == pytest.approx(1 / 3)
    assert summary.satisfaction_rate == pytest.approx(2 / 3)


def test_a_request_handled_early_counts_before_its_limit():
    early = outcome(
        response_due_at=at(30, 17),
        resolution_due_at=dt.datetime(2026, 12, 14, tzinfo=CST),
        responded_at=at(30, 10),
        resolved_at=at(30, 11),
    )
    summary = rates.Rates().add(early, NOW)
    assert summary.response_rate == 1.0
    assert summary.resolution_rate == 1.0
    assert summary.satisfaction_rate is None


def test_rates_are_grouped_per_unit_and_per_region():
    outcomes = [
        outcome("u1", "640104", responded_at=at(2)),
        outcome("u2", "640104"),
        outcome("u2", "640200", responded_at=at(1)),
    ]
    per_unit = rates.summarise(outcomes, NOW, rates.by_unit)
    per_region = rates.summarise(outcomes, NOW, rates.by_region)
    assert list(per_unit) == ["u1", "u2"]
    assert per_unit["u1"].response_rate == 1.0
    assert per_unit["u2"].response_rate == 0.5
    assert per_region["640104"].response_rate == 0.5
    assert per_region["640200"].requests == 1


def test_nothing_to_count_is_no_rate_and_an_unknown_answer_is_refused():
    assert rates.Rates().response_rate is None
    assert rates.summarise([], NOW, rates.by_unit) == {}
    with pytest.raises(ValueError, match="unknown satisfaction"):
        rates.Rates().add(outcome(satisfaction="meh"), NOW)
