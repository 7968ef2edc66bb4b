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


# The change feed (exchange-feed part, issue 16 point 4).


class FeedOp(models.TextChoices):
    UPSERT = "upsert", _("Insert or update")
    DELETE = "delete", _("Delete")


class FeedChannel(models.TextChoices):
    """How a subscriber receives the feed: it pulls by cursor, or the worker pushes."""

    PULL = "pull", _("Pull by cursor")
    PUSH = "push", _("Signed webhook")


class FeedDeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Delivered")
    FAILED = "failed", _("Failed, will retry")
    DEAD = "dead", _("Dead letter")


class FeedError(models.TextChoices):
    """What a subscriber is told about a failed delivery: a class of failure, never the
    receiver's address or answer (those stay in ``last_error`` for administrators)."""

    REFUSED = "refused", _("The address is not allowed: webhooks go to public addresses only.")
    UNDELIVERED = "undelivered", _("The changes could not be delivered.")
    TIMEOUT = "timeout", _("The receiver did not answer in time.")
    HTTP_STATUS = "http_status", _("The receiver answered with an error status.")
    GRANT_MISSING = "grant_missing", _("The consumer unit holds no live grant for this data.")
    CORE_DATA = "core_data", _("Core data never leaves the platform.")
