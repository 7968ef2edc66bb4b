"""The platform's one clock: every rule that depends on "today" asks it.

Deadlines, status lights, reminders and delivery retries are all judged against this clock,
so tests (and demos) can move time forward — ``with clock.frozen_at(...)`` — and see tasks
turn red without waiting a year. Another process (a worker started by a test or a demo) is set
by the ``SHUZHENG_CLOCK`` setting instead (a day or an ISO time; ``check --deploy`` warns when
it is set). In production it is simply the system time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

_global_override: dt.datetime | None = None


def now() -> dt.datetime:
    """The current time, timezone-aware."""
    return _global_override or _configured(settings.CLOCK) or timezone.now()


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


@cache
def _configured(text: str) -> dt.datetime | None:
    """The moment ``SHUZHENG_CLOCK`` sets ("2024-12-31" or "2024-12-31T18:00"), if any."""
    if not text:
        return None
    try:
        return _aware(dt.date.fromisoformat(text))
    except ValueError:
        return _aware(dt.datetime.fromisoformat(text))


def _aware(moment: dt.datetime | dt.date) -> dt.datetime:
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time(9, 0))
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return moment
