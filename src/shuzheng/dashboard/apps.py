from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "shuzheng.dashboard"
    verbose_name = _("Leadership dashboard")

    def ready(self) -> None:
        from shuzheng.dashboard import signals

        signals.watch_the_ledger()
