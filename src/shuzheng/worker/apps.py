from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class WorkerConfig(AppConfig):
    name = "shuzheng.worker"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        # Importing each app's tasks.py declares its periodic jobs, in the web process as well
        # as in the worker (the admin names them). The signal handlers need the models, hence
        # Django's documented import in ready().
        autodiscover_modules("tasks")
        from . import retries

        retries.connect()
