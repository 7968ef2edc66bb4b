"""The hotline's pure modules: deadlines, masking, geography, keyword classification."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from shuzheng.hotline import classify, deadlines, geography, privacy

CST = ZoneInfo("Asia/Shanghai")


def test_working_days_skip_the_national_day_holiday_and_count_the_make_up_day():
    # 2026: 10月1日–7日 off (国办发明电〔2025〕7号); Sunday 9月20日 and Saturday 10月10日 are
    # make-up working days.
    assert not deadlines.is_working_day(dt.date(2026, 10, 5))
    assert deadlines.is_working_day(dt.date(2026, 10, 10))
    # Received on Wednesday 30 September: the 1st working day after it is Thursday 8 October.
    assert deadlines.add_working_days(dt.date(2026, 9, 30), 1) == dt.date(2026, 10, 8)
    # 8, 9 (Fri), 10 (Sat, make-up day) October.
    assert deadlines.add_working_days(dt.date(2026, 9, 30), 3) == dt.date(2026, 10, 10)


def test_due_at_ends_the_working_day_or_counts_hours_when_urgent():
    received = dt.datetime(2026, 9, 30, 16, 0, tzinfo=CST)
    assert deadlines.due_at(received, working_days=1) == dt.datetime(
        2026, 10, 8, 23, 59, 59, tzinfo=CST
    )
    assert deadlines.due_at(received, working_days=1, urgent_hours=12) == dt.datetime(
        2026, 10, 1, 4, 0, tzinfo=CST
    )
    with pytest.raises(ValueError):
        deadlines.due_at(dt.datetime(2026, 9, 30), working_days=1)


def test_a_year_beyond_the_published_calendar_counts_monday_to_friday():
    friday = dt.date(2031, 1, 3)
    assert deadlines.add_working_days(friday, 1) == dt.date(2031, 1, 6)


def test_masks_keep_only_what_identifies_nobody():
    assert privacy.mask_name("张三丰") == "张**"
    assert privacy.mask_phone("139-1234-5678") == "139****5678"
    assert privacy.mask_address("银川市兴庆区解放西街12号3单元") == "银川市兴庆区****"
    assert privacy.mask_name("") == privacy.mask_phone("") == ""


def test_phone_key_is_stable_per_number_and_keyed():
    assert privacy.phone_key("k", "139 1234 5678") == privacy.phone_key("k", "13912345678")
    assert privacy.phone_key("k", "13912345678") != privacy.phone_key("other", "13912345678")
    assert privacy.phone_key("k", "") == ""


def test_points_inside_and_outside_ningxia():
    assert geography.inside_ningxia(38.47, 106.27)
    assert not geography.inside_ningxia(39.90, 116.40)  # Beijing
    assert geography.nearest_city(36.0, 106.3) == "640400"


def test_the_most_specific_region_named_in_an_address_wins():
    rows = [
        ("640000", "宁夏回族自治区", "宁夏"),
        ("640100", "银川市", "银川"),
        ("640104", "兴庆区", "兴庆"),
    ]
    assert geography.region_named_in("宁夏银川市兴庆区解放西街", rows) == "640104"
    assert geography.region_named_in("银川市某小区", rows) == "640100"
    assert geography.region_named_in("某地", rows) is None


def test_keyword_classification_ranks_by_distinct_keywords():
    catalog = [("a", ["工资", "欠薪"]), ("b", ["垃圾", "工资"])]
    matches = classify.by_keywords("老板拖欠工资，欠薪三个月", catalog)
    assert [m.code for m in matches] == ["a", "b"]
    assert matches[0].keywords == ("工资", "欠薪")
    assert classify.by_keywords("天气很好", catalog) == []


def test_lights_follow_the_resolution_limit():
    due = dt.datetime(2026, 10, 9, 23, 59, 59, tzinfo=CST)
    assert deadlines.light(due + dt.timedelta(seconds=1), due, closed=False) == "red"
    assert deadlines.light(due + dt.timedelta(days=9), due, closed=True) == "grey"
    # Thursday 8 October: due by the close of the next working day → yellow.
    assert (
        deadlines.light(dt.datetime(2026, 10, 8, 9, 0, tzinfo=CST), due, closed=False) == "yellow"
    )
    # 30 September: the next working day is 8 October, before the limit → green.
    assert deadlines.light(dt.datetime(2026, 9, 30, 9, 0, tzinfo=CST), due, closed=False) == "green"
