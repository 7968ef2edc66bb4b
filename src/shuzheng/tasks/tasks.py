"""The key-task ledger's background jobs, run by ``shuzheng worker`` (docs/operations.md).

``shuzheng remind`` and ``shuzheng refreshlights`` stay as manual triggers of the same
services. Both services are idempotent, so these jobs may run as often as the worker likes:
a reminder is sent once per (task, milestone, reminder day), a light is recomputed only when
its change day has come.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.tasks import task
from django.utils.translation import gettext_lazy as _

from shuzheng import clock
from shuzheng.tasks.services.lights import refresh_stale_lights
from shuzheng.tasks.services.reminders import send_due_reminders
from shuzheng.worker.periodic import periodic


@periodic(every=dt.timedelta(hours=1), label=_("Refresh the status lights"))
@task
def refresh_lights() -> str:
    """Time alone turns lights yellow and red: recompute those whose change day has come."""
    return str(refresh_stale_lights(clock.today()))


@periodic(every=dt.timedelta(hours=1), label=_("Send due reminders"))
@task
def send_reminders() -> str:
    """催办 of the day (seed task 124), sent from LEDGER_REMIND_HOUR on (office hours, not at
    midnight); the lights first, as ``shuzheng remind`` does, so the red-light notices judge
    current lights."""
    now = clock.now().astimezone(ZoneInfo(settings.TIME_ZONE))
    if now.hour < settings.LEDGER_REMIND_HOUR:
        return f"waiting until {settings.LEDGER_REMIND_HOUR}:00"
    refresh_stale_lights(now.date())
    return str(send_due_reminders(now.date()))
