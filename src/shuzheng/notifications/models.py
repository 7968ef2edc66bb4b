"""The inbox, and the deliveries that carry inbox items to email and webhooks.

Issue 4 item 4 (信息找人: policy subscriptions push to people) and issue 5 item 4 (the key-task
ledger's reminders) share these channels. Every piece of delivery state lives in the
database, so a worker restart loses nothing and double-sends nothing.
"""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from shuzheng.notifications.choices import Channel, DeliveryError, DeliveryStatus
from shuzheng.notifications.wording import Wording, word


class Notification(models.Model):
    """One inbox item for one person. ``dedupe_key`` names the event (e.g.
    ``subscription:12:section:345``): the same event never notifies the same person twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        related_name="notifications",
        on_delete=models.CASCADE,
    )
    kind = models.SlugField(_("kind"), max_length=40)
    #: What the kind's wording needs (``notifications.wording``): data, never a sentence.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    dedupe_key = models.CharField(_("deduplication key"), max_length=200)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="notification_once_per_event"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def wording(self) -> Wording:
        """Title, body and reason in the active language (worded anew in each language)."""
        language = translation.get_language()
        cached = getattr(self, "_wording", None)
        if cached is None or cached[0] != language:
            cached = (language, word(self.kind, self.params))
            self._wording = cached
        return cached[1]

    @property
    def title(self) -> str:
        return self.wording.title

    @property
    def body(self) -> str:
        return self.wording.body

    @property
    def reason(self) -> str:
        return self.wording.reason


class ChannelPreference(models.Model):
    """Per-person channel choices. Email is on unless switched off; webhooks are on while
    an active endpoint exists. No row means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="channel_preference",
        on_delete=models.CASCADE,
    )
    email_enabled = models.BooleanField(_("email notifications"), default=True)
    #: The language of the person's e-mails; empty: the site's (LANGUAGE_CODE).
    language = models.CharField(_("language of e-mails"), max_length=10, blank=True)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("channel preference")
        verbose_name_plural = _("channel preferences")

    def __str__(self):
        return str(self.user)


class WebhookEndpoint(models.Model):
    """An HTTP(S) URL that receives a signed POST for each of its owner's notifications.

    ``sealed_secret`` is the signing secret encrypted with SM4 under a key derived from
    SECRET_KEY; the plain secret is shown to the owner once, on creation.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        related_name="webhook_endpoints",
        on_delete=models.CASCADE,
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=100, blank=True)
    sealed_secret = models.CharField(_("sealed secret"), max_length=300, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["owner_id", "id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        constraints = [
            models.UniqueConstraint(fields=["owner", "url"], name="webhook_url_once_per_owner")
        ]

    def __str__(self):
        return self.url


class Delivery(models.Model):
    """One notification on its way through one channel to one target (an address or an
    endpoint URL). Unique per (notification, channel, target): never created twice.

    ``claim_token`` and ``claimed_until`` are the worker's lease: a claimed delivery belongs
    to the worker holding the token until the lease runs out.
    """

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        related_name="deliveries",
        on_delete=models.CASCADE,
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    target = models.CharField(_("target"), max_length=500)
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("webhook endpoint"),
        null=True,
        blank=True,
        related_name="deliveries",
        on_delete=models.SET_NULL,
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claim_token = models.CharField(_("claim token"), max_length=32, blank=True, editable=False)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    #: The failure's detail, for administrators (the admin) and the log only.
    last_error = models.TextField(_("last error"), blank=True)
    #: The failure's class, which is all the owner is shown (:meth:`public_error`).
    error_kind = models.CharField(
        _("error kind"), max_length=16, choices=DeliveryError.choices, blank=True
    )
    #: The receiver's HTTP status when ``error_kind`` is ``http_status``.
    error_status = models.PositiveSmallIntegerField(_("error status"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel", "target"], name="delivery_once_per_target"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.target}"

    def public_error(self) -> str:
        """The failure as its owner may read it, in the current language; "" when none."""
        return public_error_message(self.error_kind, self.error_status)


def public_error_message(kind: str, status: int | None = None) -> str:
    """The owner-facing sentence for an error class (with the receiver's HTTP status)."""
    if not kind:
        return ""
    if kind == DeliveryError.HTTP_STATUS and status:
        return _("The receiver answered with HTTP status %(status)d.") % {"status": status}
    return str(DeliveryError(kind).label)
