"""The pure rules of requests and objections (``exchange.request_rules``)."""

import datetime as dt

import pytest

from shuzheng.exchange import request_rules as rules
from shuzheng.exchange.request_rules import Outcome, RequestState


@pytest.mark.parametrize(
    ("share_type", "grade", "published", "expected"),
    [
        ("unconditional", "general", True, Outcome.GRANT_AT_ONCE),
        ("conditional", "general", True, Outcome.TO_PROVIDER),
        ("none", "general", True, Outcome.REFUSE_NOT_SHARED),
        # Core data is refused before the share type is looked at.
        ("unconditional", "core", True, Outcome.REFUSE_CORE),
        ("unconditional", "core", False, Outcome.REFUSE_CORE),
        # Important data leaves only through a grant its provider signed.
        ("unconditional", "important", True, Outcome.TO_PROVIDER),
        ("unconditional", "general", False, Outcome.REFUSE_UNPUBLISHED),
        (None, None, False, Outcome.TO_OFFICE),
    ],
)
def test_outcome(share_type, grade, published, expected):
    assert rules.outcome(share_type=share_type, grade=grade, published=published) == expected


def test_transitions():
    assert rules.may("submit", RequestState.DRAFT)
    assert rules.may("submit", RequestState.RETURNED)
    assert not rules.may("submit", RequestState.SUBMITTED)
    assert rules.may("approve", RequestState.SUBMITTED)
    assert not rules.may("approve", RequestState.ROUTING)
    assert not rules.may("approve", RequestState.APPROVED)
    assert rules.may("route", RequestState.ROUTING)
    assert not rules.may("refuse", RequestState.REFUSED)


def test_shareable_columns_leave_out_core_and_not_shared_items():
    items = [
        rules.Item("a", "general"),
        rules.Item("b", "important"),
        rules.Item("c", "core"),
        rules.Item("d", "general", "none"),
        rules.Item("", "general"),
    ]
    assert rules.shareable_columns(items, "conditional") == ["a", "b"]
    assert rules.shareable_columns([rules.Item("a", "general")], "none") == []


def test_working_days_skip_weekends_and_holidays():
    # 2023-09-28 (Thursday): 29 Sept – 6 Oct is the Mid-Autumn and National Day holiday,
    # 7 and 8 October (a weekend) are make-up working days.
    assert rules.add_working_days(dt.date(2023, 9, 28), 1) == dt.date(2023, 10, 7)
    assert rules.add_working_days(dt.date(2023, 9, 28), 3) == dt.date(2023, 10, 9)
    # Friday → Monday.
    assert rules.add_working_days(dt.date(2023, 11, 3), 1) == dt.date(2023, 11, 6)
    assert rules.add_working_days(dt.date(2023, 11, 3), 0) == dt.date(2023, 11, 3)
    with pytest.raises(ValueError):
        rules.add_working_days(dt.date(2023, 11, 3), -1)


def test_urgency():
    due = dt.datetime(2023, 11, 10, 23, 59, tzinfo=dt.UTC)
    assert rules.urgency(due - dt.timedelta(days=2), due) == rules.Urgency.ON_TIME
    assert rules.urgency(due - dt.timedelta(hours=5), due) == rules.Urgency.DUE_SOON
    assert rules.urgency(due + dt.timedelta(seconds=1), due) == rules.Urgency.OVERDUE
    assert rules.urgency(due, None) == rules.Urgency.ON_TIME


def test_unit_figures():
    figures = rules.UnitFigures(decided=4, approved=3, on_time=2, total_hours=40.0)
    assert figures.approval_rate == 0.75
    assert figures.on_time_rate == 0.5
    assert figures.mean_hours == 10.0
    assert rules.UnitFigures(0, 0, 0, 0.0).approval_rate is None
