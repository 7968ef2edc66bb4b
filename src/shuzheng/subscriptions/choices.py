"""Enumerations shared by the subscriptions models, forms and API."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shuzheng.subscriptions import matching


class SubscriptionKind(models.TextChoices):
    SEARCH = matching.SEARCH, _("Saved search")
    TOPIC = matching.TOPIC, _("Topic")
    UNIT = matching.UNIT, _("Unit")
    DOCUMENT = matching.DOCUMENT, _("Document")


class EnterpriseSize(models.TextChoices):
    """Sizes as policies name them (matching.SIZE_TERMS)."""

    MICRO = "micro", _("Micro or small enterprise")
    SME = "sme", _("Small or medium-sized enterprise")
    LARGE = "large", _("Large enterprise")
