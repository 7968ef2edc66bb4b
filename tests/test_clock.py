import datetime as dt

from shuzheng import clock
from shuzheng.checks import check_clock_is_not_frozen, check_clock_setting


def test_frozen_clock_moves_today_and_restores():
    with clock.frozen_at(dt.date(2025, 1, 2)):
        assert clock.today() == dt.date(2025, 1, 2)
        assert clock.now().tzinfo is not None
    assert clock.today() != dt.date(2025, 1, 2) or dt.date.today() == dt.date(2025, 1, 2)


def test_set_now_and_clear():
    clock.set_now(dt.datetime(2024, 12, 31, 23, 30))
    try:
        assert clock.today() == dt.date(2024, 12, 31)
    finally:
        clock.set_now(None)
    assert abs((clock.now() - dt.datetime.now(dt.UTC)).total_seconds()) < 60


def test_the_clock_setting_freezes_the_clock_of_a_process(settings):
    settings.CLOCK = "2024-12-30"
    assert clock.today() == dt.date(2024, 12, 30)
    settings.CLOCK = "2024-12-30T23:30"
    assert (clock.now().hour, clock.now().minute) == (23, 30)
    with clock.frozen_at(dt.date(2025, 1, 2)):  # a test's own override still wins
        assert clock.today() == dt.date(2025, 1, 2)


def test_a_clock_setting_that_is_no_moment_is_a_clear_error_and_a_frozen_one_warns(settings):
    settings.CLOCK = "next tuesday"
    assert [error.id for error in check_clock_setting(None)] == ["shuzheng.E003"]
    settings.CLOCK = "2024-12-30"
    assert check_clock_setting(None) == []
    assert [warning.id for warning in check_clock_is_not_frozen(None)] == ["shuzheng.W002"]
    settings.CLOCK = ""
    assert check_clock_is_not_frozen(None) == []
