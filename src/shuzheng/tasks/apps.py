from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "shuzheng.tasks"
    verbose_name = _("Key tasks")

    def ready(self) -> None:
        from shuzheng.tasks import hooks  # models are loaded only now: the hook modules use them

        hooks.register()
