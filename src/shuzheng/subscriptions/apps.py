from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "shuzheng.subscriptions"
    verbose_name = _("Subscriptions")

    def ready(self) -> None:
        from shuzheng.subscriptions import (
            hooks,  # models are loaded only now: the hook modules use them
        )

        hooks.register()
