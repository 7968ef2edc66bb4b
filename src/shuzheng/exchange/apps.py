from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from shuzheng.exchange import hooks


class ExchangeConfig(AppConfig):
    name = "shuzheng.exchange"
    verbose_name = _("Data sharing exchange")

    def ready(self):
        # The message log keeps every answered data-API call (exchange-log, issue 16 point 3).
        from shuzheng.exchange import log_services

        hooks.register_call_recorder(log_services.record_call)
        # Requests and objections word their notifications (exchange-requests, points 1, 5).
        from shuzheng.exchange import request_hooks

        request_hooks.register()
        # The change feed's outbox is written in every row-changing transaction (exchange-feed,
        # issue 16 point 4).
        from shuzheng.exchange import feed_hooks

        hooks.register_row_change_listener(feed_hooks.record_row_changes)
        # The requests' statistics per unit feed the ledger's assessment as indicators
        # (issue 16 point 1, through tasks.indicators).
        from shuzheng.exchange import indicator_hooks

        indicator_hooks.register()
