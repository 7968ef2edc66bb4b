"""The dashboard's background job, run by ``shuzheng worker``: keep the snapshot of the
ledger current (``shuzheng refreshdashboard`` stays as a manual trigger)."""

import datetime as dt

from django.tasks import task
from django.utils.translation import gettext_lazy as _

from shuzheng.dashboard.services import refresh_snapshot
from shuzheng.worker.periodic import periodic


@periodic(every=dt.timedelta(hours=1), label=_("Refresh the dashboard snapshot"))
@task
def refresh_dashboard() -> str:
    """Lights depend on the day, and a large ledger's page shows the last snapshot until
    this runs (docs/dashboard.md)."""
    snapshot = refresh_snapshot()
    return f"{snapshot.as_of.isoformat()}: {snapshot.duration_ms} ms"
