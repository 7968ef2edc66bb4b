"""The hotline's background jobs, run by ``shuzheng worker`` (docs/operations.md)."""

import datetime as dt

from django.tasks import task
from django.utils.translation import gettext_lazy as _

from shuzheng.hotline.supervision import supervise_overdue
from shuzheng.worker.periodic import periodic


@periodic(every=dt.timedelta(hours=1), label=_("Supervise overdue hotline requests"))
@task
def supervise_overdue_requests() -> str:
    """Overdue requests become supervised ledger tasks (督办), once each."""
    return f"{supervise_overdue()} requests put under supervision"
