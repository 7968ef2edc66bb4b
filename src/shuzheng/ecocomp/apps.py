from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EcocompConfig(AppConfig):
    name = "shuzheng.ecocomp"
    verbose_name = _("ecological compensation")
