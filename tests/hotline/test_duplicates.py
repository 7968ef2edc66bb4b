"""Near-duplicate requests (hotline.duplicates, issue 15 point 6)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from shuzheng.hotline import duplicates, suggest

CST = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=CST)


@pytest.fixture(scope="module")
def tokenize():
    return suggest.Tokenizer(["路灯"])


def report(key, text, hours_ago=1, region="640104", lat=None, long=None):
    return duplicates.Report(key, text, region, NOW - dt.timedelta(hours=hours_ago), lat, long)


def test_same_place_and_topic_within_the_window_is_a_near_duplicate(tokenize):
    new = report("new", "民族南街胜利街路口的路灯不亮了", hours_ago=0)
    stored = [
        report("a", "胜利街和民族南街路口路灯不亮", hours_ago=5),
        report("old", "胜利街和民族南街路口路灯不亮", hours_ago=24 * 8),
        report("elsewhere", "胜利街和民族南街路口路灯不亮", region="640200"),
        report("other topic", "民族南街一家饭店油烟扰民"),
    ]
    (match,) = duplicates.near_duplicates(new, stored, tokenize)
    assert match.report.key == "a"
    assert "路灯" in match.shared
    assert 0.3 <= match.similarity <= 1


def test_points_decide_the_place_when_both_have_one(tokenize):
    new = report("new", "路灯不亮，晚上很黑", hours_ago=0, lat=38.4700, long=106.2800)
    near = report("near", "这里路灯不亮，晚上很黑", region="640106", lat=38.4710, long=106.2805)
    far = report("far", "这里路灯不亮，晚上很黑", lat=38.5000, long=106.2800)
    assert duplicates.distance_m(38.47, 106.28, 38.471, 106.2805) == pytest.approx(118, abs=2)
    matches = duplicates.near_duplicates(new, [far, near], tokenize)
    assert [m.report.key for m in matches] == ["near"]


def test_matches_rank_by_similarity_and_a_wordless_text_matches_nothing(tokenize):
    new = report("new", "小区门口垃圾堆了三天没人清运", hours_ago=0)
    close = report("close", "小区门口垃圾堆了三天没人清运，很臭")
    loose = report("loose", "小区门口垃圾没人清运")
    keys = [m.report.key for m in duplicates.near_duplicates(new, [loose, close], tokenize)]
    assert keys == ["close", "loose"]
    assert duplicates.near_duplicates(report("x", "……", hours_ago=0), [close], tokenize) == []
