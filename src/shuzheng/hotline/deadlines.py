"""When a hotline request is due: working days on China's statutory calendar, hours if urgent.

Plain Python, no Django. Rules (issue 15, point 3; the 接诉即办 practice of 12345 hotlines,
e.g. 北京市接诉即办工作条例 第十九条, limits counted in working days from receipt):

* a limit of N working days ends at the close of the N-th working day after the day the
  request was received (the day of receipt does not count); working days are those of the
  State Council's holiday notice (国务院办公厅关于节假日安排的通知) through the maintained
  ``chinese-calendar`` package, so a weekend make-up day (调休上班日) counts and a statutory
  holiday on a weekday does not;
* for a year the package does not cover yet (the notice comes out each November), Monday to
  Friday are taken as working days until the package is updated;
* an urgent request is due a number of hours after receipt, holidays or not.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar

from shuzheng.tasks.status import Light

ONE_DAY = dt.timedelta(days=1)
#: The close of a working day, as the limit's end.
CLOSE_OF_DAY = dt.time(23, 59, 59)


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is a working day on the statutory calendar (make-up days included)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(day: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``day`` (``day`` itself not counted); 0 → ``day``."""
    if days < 0:
        raise ValueError("a limit cannot be negative")
    current = day
    remaining = days
    while remaining:
        current += ONE_DAY
        if is_working_day(current):
            remaining -= 1
    return current


def due_at(received: dt.datetime, *, working_days: int, urgent_hours: int | None = None):
    """The moment a limit ends for a request received at ``received`` (aware datetime).

    ``urgent_hours`` set: that many hours after receipt. Otherwise the close of the
    ``working_days``-th working day after the day of receipt, in ``received``'s time zone.
    """
    if received.tzinfo is None:
        raise ValueError("the time of receipt needs a time zone")
    if urgent_hours is not None:
        return received + dt.timedelta(hours=urgent_hours)
    last = add_working_days(received.date(), working_days)
    return dt.datetime.combine(last, CLOSE_OF_DAY, tzinfo=received.tzinfo)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days lie after ``start`` up to and including ``end`` (0 if none)."""
    count = 0
    current = start
    while current < end:
        current += ONE_DAY
        if is_working_day(current):
            count += 1
    return count


def light(now: dt.datetime, due: dt.datetime, *, closed: bool) -> Light:
    """The request's light, in the ledger's colours (``tasks.status.Light``).

    Rule (issue 15, point 3; the ledger's 红黄绿灯 of docs/ledger-rules.md scaled to the
    hotline's limits): grey once closed; red once the resolution limit has passed; yellow when
    it ends before the close of the next working day; green otherwise.
    """
    if closed:
        return Light.GREY
    if now > due:
        return Light.RED
    return Light.YELLOW if due <= yellow_until(now, due.tzinfo) else Light.GREEN


def yellow_until(now: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """The close of the next working day after ``now`` (in ``tz``): a limit ending by then is
    yellow (:func:`light`); the lists filter by lights with it."""
    local_now = now.astimezone(tz)
    return dt.datetime.combine(add_working_days(local_now.date(), 1), CLOSE_OF_DAY, tzinfo=tz)
