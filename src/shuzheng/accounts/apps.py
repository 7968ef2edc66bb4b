from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "shuzheng.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # A documented exception to "no import in a function": Django's place for connecting
        # signal receivers, which import models and so cannot load before the app registry.
        from shuzheng.accounts import signals  # noqa: F401 - connects the receivers


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin on shuzheng's admin site (``shuzheng.accounts.admin_site``): the one
    login path, with its limits and its audit (issue 9)."""

    default = False  # named in INSTALLED_APPS; AccountsConfig stays this module's default
    default_site = "shuzheng.accounts.admin_site.SignInAdminSite"
