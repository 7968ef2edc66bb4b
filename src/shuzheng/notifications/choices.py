"""Enumerations shared by the notifications models, forms and API."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    WEBHOOK = "webhook", _("Webhook")


class DeliveryStatus(models.TextChoices):
    #: Waiting for its first attempt.
    PENDING = "pending", _("pending")
    #: Claimed by a worker that is sending it right now (until ``claimed_until``).
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    #: The last attempt failed; tried again at ``next_attempt_at``.
    FAILED = "failed", _("failed")
    #: Given up after the last allowed attempt.
    DEAD = "dead", _("dead")


#: Kinds other apps use today; ``kind`` is an open slug so new senders need no migration.
KNOWN_KINDS = {
    "policy_match": _("Policy match"),
    "policy_document_match": _("New document matching what you follow"),
    "task_assigned": _("Task assigned"),
    "task_reminder": _("Task reminder"),
    "task_red_light": _("Task overdue"),
    "webhook_test": _("Webhook test"),
}


class DeliveryError(models.TextChoices):
    """What the owner is told about a failed delivery: a class of failure, never the detail
    (addresses, ports, what answered), which stays in ``last_error`` for administrators and
    in the server log (issue 9 point 2: the error text must not map the intranet)."""

    REFUSED = "refused", _("The address is not allowed: webhooks go to public addresses only.")
    UNDELIVERED = "undelivered", _("The message could not be delivered.")
    TIMEOUT = "timeout", _("The receiver did not answer in time.")
    HTTP_STATUS = "http_status", _("The receiver answered with an error status.")
    DISABLED = "disabled", _("The webhook is disabled.")
    DELETED = "deleted", _("The webhook was deleted.")
    NOT_PERMITTED = "not_permitted", _("Your role does not send notifications to webhooks.")
