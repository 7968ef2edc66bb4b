from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "shuzheng.hotline"
    verbose_name = _("12345 hotline")

    def ready(self) -> None:
        # Imported here, not at the top: the hooks use models, which load after the apps.
        from shuzheng.hotline import hooks

        hooks.register()
