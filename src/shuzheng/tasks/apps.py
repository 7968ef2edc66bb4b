from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "shuzheng.tasks"
    verbose_name = _("Key tasks")

    def ready(self) -> None:
        # Imported here, not at the top: the hooks use models, which load after the apps.
        from shuzheng.tasks import hooks

        hooks.register()
