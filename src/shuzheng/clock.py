"""The platform's one clock: every rule that depends on "today" asks it.

Deadlines, status lights, reminders and delivery retries are all judged against this clock,
so tests (and demos) can move time forward — ``with clock.frozen_at(...)`` — and see tasks
turn red without waiting a year. In production it is simply the system time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

_global_override: dt.datetime | None = None


def now() -> dt.datetime:
    """The current time, timezone-aware."""
    return _global_override or timezone.now()


def today() -> dt.date:
    """Today's date in the platform's time zone (settings.TIME_ZONE)."""
    return now().astimezone(ZoneInfo(settings.TIME_ZONE)).date()


@contextmanager
def frozen_at(moment: dt.datetime | dt.date) -> Iterator[None]:
    """Make :func:`now` return ``moment`` for every thread (the live test server included)."""
    global _global_override
    previous = _global_override
    _global_override = _aware(moment)
    try:
        yield
    finally:
        _global_override = previous


def set_now(moment: dt.datetime | dt.date | None) -> None:
    """Set (or with None, clear) the clock override; for tests and the demo command."""
    global _global_override
    _global_override = None if moment is None else _aware(moment)


def _aware(moment: dt.datetime | dt.date) -> dt.datetime:
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time(9, 0))
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return moment
