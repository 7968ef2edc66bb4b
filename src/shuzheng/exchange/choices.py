"""Enumerations of the exchange's models, forms and API."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TableSource(models.TextChoices):
    """How a provider puts a resource's data into the platform (issue 16, point 3)."""

    UPLOAD = "upload", _("Uploaded file")
    SYNC = "sync", _("Synchronised by the provider")
    PROXY = "proxy", _("Proxied upstream service")


class ColumnType(models.TextChoices):
    TEXT = "text", _("Text")
    INTEGER = "integer", _("Integer")
    DECIMAL = "decimal", _("Decimal")
    DATE = "date", _("Date")
    BOOLEAN = "boolean", _("Yes or no")
