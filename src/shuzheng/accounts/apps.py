from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "shuzheng.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # A documented exception to "no import in a function": Django's place for connecting
        # signal receivers, which import models and so cannot load before the app registry.
        from shuzheng.accounts import signals  # noqa: F401 - connects the receivers
