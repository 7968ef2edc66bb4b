from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "shuzheng.subscriptions"
    verbose_name = _("Subscriptions")

    def ready(self) -> None:
        # Imported here, not at the top: the hooks use models, which load after the apps.
        from shuzheng.subscriptions import hooks

        hooks.register()
