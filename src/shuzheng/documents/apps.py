from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "shuzheng.documents"
    verbose_name = _("Official documents")

    def ready(self) -> None:
        # Imported here, not at the top: the hooks use models, which load after the apps.
        from shuzheng.documents import hooks

        hooks.register()
