from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from shuzheng.tasks.changes import on_ledger_change


class DashboardConfig(AppConfig):
    name = "shuzheng.dashboard"
    verbose_name = _("Leadership dashboard")

    def ready(self) -> None:
        # Imported here, not at the top: an AppConfig module must not import models.
        from shuzheng.dashboard.services import mark_snapshot_stale

        on_ledger_change(mark_snapshot_stale)
