"""The change feed's pure rules: what a grant lets a subscriber see of a change."""

import datetime as dt

import pytest

from shuzheng.exchange.feed_rules import (
    FeedEntry,
    GrantView,
    delay_ms,
    filter_matches,
    percentile,
    visible_change,
)

AT = dt.datetime(2026, 12, 4, 2, 0, tzinfo=dt.UTC)


def entry(op="upsert", values=None, previous=None, position=7):
    return FeedEntry(position, 1, op, "42", values or {}, AT, previous)


def test_an_upsert_keeps_only_the_granted_columns():
    view = GrantView.of(["id", "name"])
    change = visible_change(entry(values={"id": 42, "name": "甲", "phone": "secret"}), view)
    assert change == {
        "position": 7,
        "op": "upsert",
        "key": "42",
        "values": {"id": 42, "name": "甲"},
        "written_at": AT.isoformat(),
    }


def test_row_filters_hide_rows_outside_the_grant():
    view = GrantView.of(["id", "region"], [{"column": "region", "op": "eq", "value": "银川"}])
    assert visible_change(entry(values={"id": 1, "region": "银川"}), view) is not None
    assert visible_change(entry(values={"id": 1, "region": "石嘴山"}), view) is None
    assert visible_change(entry(values={"id": 1}), view) is None


def test_in_filters_and_numbers_compare_by_value():
    assert filter_matches({"column": "n", "op": "in", "value": [1, 2]}, {"n": "2"})
    assert filter_matches({"column": "n", "op": "eq", "value": 1}, {"n": 1.0})
    assert not filter_matches({"column": "n", "op": "in", "value": "12"}, {"n": "1"})
    assert not filter_matches({"column": "n", "op": "like", "value": "%"}, {"n": "1"})
    assert not filter_matches({"column": "n", "op": "eq", "value": "1 OR 1=1"}, {"n": "1"})


def test_a_delete_is_shown_only_for_a_row_the_grant_let_through():
    region_only = GrantView.of(["id"], [{"column": "region", "op": "eq", "value": "银川"}])
    seen = entry("delete", previous={"id": 42, "region": "银川"})
    unseen = entry("delete", previous={"id": 42, "region": "吴忠"})
    unknown = entry("delete", previous=None)
    assert visible_change(seen, region_only)["values"] == {}
    assert visible_change(unseen, region_only) is None
    assert visible_change(unknown, region_only) is None
    assert visible_change(unknown, GrantView.of(["id"])) is not None


def test_delays_and_percentiles():
    assert delay_ms(AT, AT + dt.timedelta(seconds=1.5)) == 1500
    assert delay_ms(AT, AT - dt.timedelta(seconds=1)) == 0
    values = list(range(1, 101))
    assert percentile(values, 0.5) == 50
    assert percentile(values, 0.99) == 99
    assert percentile([], 0.5) is None
    with pytest.raises(ValueError):
        percentile(values, 0)
