from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "shuzheng.documents"
    verbose_name = _("Official documents")

    def ready(self) -> None:
        from shuzheng.documents import (
            hooks,  # models are loaded only now: the hook modules use them
        )

        hooks.register()
