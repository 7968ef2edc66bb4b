from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShuzhengConfig(AppConfig):
    """The project itself as an app: deployment checks and project-wide templates."""

    name = "shuzheng"
    verbose_name = _("Shuzheng")

    def ready(self) -> None:
        from shuzheng import checks  # noqa: F401  (registers the deployment checks)
