import datetime as dt

from shuzheng import clock


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
