"""The deployment's ledger policies, read from settings into the pure modules' types.

One place turns ``SHUZHENG_LEDGER_*`` (docs/configuration.md) into ``status.LightPolicy`` and
``deadlines.ReminderPolicy``, so pages, API, reminders and assessment judge by the same rules.
A bad value fails loudly with the setting's name, as the pure modules' checks say what is wrong.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from shuzheng.tasks.deadlines import ReminderPolicy
from shuzheng.tasks.status import LightPolicy


def light_policy() -> LightPolicy:
    """Issue 5: the yellow window and the "recent report" window are configurable."""
    try:
        return LightPolicy(
            yellow_window_days=settings.LEDGER_YELLOW_DAYS,
            recent_report_days=settings.LEDGER_RECENT_REPORT_DAYS,
            report_grace_days=settings.LEDGER_REPORT_GRACE_DAYS,
        )
    except ValueError as error:
        raise ImproperlyConfigured(f"SHUZHENG_LEDGER_*: {error}") from None


def reminder_policy() -> ReminderPolicy:
    """Seed task 124 (定期开展督促检查): reminders before and after each due date."""
    try:
        return ReminderPolicy(
            before_days=_days("LEDGER_REMIND_BEFORE_DAYS"),
            after_days=_days("LEDGER_REMIND_AFTER_DAYS"),
            repeat_every_days=settings.LEDGER_REMIND_REPEAT_DAYS,
        )
    except ValueError as error:
        raise ImproperlyConfigured(f"SHUZHENG_LEDGER_REMIND_*: {error}") from None


def evidence_max_bytes() -> int:
    return settings.LEDGER_EVIDENCE_MAX_MB * 1024 * 1024


def _days(name: str) -> tuple[int, ...]:
    values = getattr(settings, name)
    try:
        return tuple(int(value) for value in values)
    except (TypeError, ValueError):
        raise ImproperlyConfigured(
            f"SHUZHENG_{name} must list whole numbers of days, e.g. 7,1; got {values!r}"
        ) from None
