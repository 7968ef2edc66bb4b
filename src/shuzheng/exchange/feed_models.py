"""The change feed's tables (issue 16, point 4: 分钟级共享; seed task 38).

``FeedChange`` is the transactional outbox: one row per upsert or delete of a published row,
written by the row-change listener inside the writer's transaction, so a change is in the
feed exactly when it is in the table. Its id is the change's *position*: positions only grow,
and a consumer's progress is one number. ``FeedSubscription`` subscribes one consumer unit to
one published table, pulled by cursor or pushed to a signed webhook. ``FeedDelivery`` is one
batch of positions handed to a subscriber — a webhook delivery with its attempts, back-off
and dead letter, or a pull that fetched changes for the first time — and keeps the delay from
the changes' write to their receipt.

Imported by ``exchange.models`` so that Django finds them; kept apart so that the feed is one
module of the exchange, not a part of every other one.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuzheng.exchange.choices import FeedChannel, FeedDeliveryStatus, FeedError, FeedOp
from shuzheng.orgs.models import UnicodeJSONEncoder


class FeedChange(models.Model):
    #: The change's position in the feed.
    id = models.BigAutoField(primary_key=True)
    table = models.ForeignKey(
        "exchange.PublishedTable",
        verbose_name=_("table"),
        related_name="feed_changes",
        on_delete=models.CASCADE,
    )
    op = models.CharField(_("operation"), max_length=8, choices=FeedOp.choices)
    key = models.CharField(_("primary key value"), max_length=400)
    #: The row's values after an upsert; empty for a delete.
    values = models.JSONField(_("values"), default=dict, encoder=UnicodeJSONEncoder)
    #: For a delete: the row's last known values, so that a grant's row filters can decide
    #: whether its consumer ever saw the row (never sent to a consumer).
    previous = models.JSONField(_("previous values"), null=True, encoder=UnicodeJSONEncoder)
    written_at = models.DateTimeField(_("written at"))

    class Meta:
        verbose_name = _("feed change")
        verbose_name_plural = _("feed changes")
        indexes = [models.Index(fields=["table", "id"], name="exchange_feed_table_position")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.op} {self.key}"


class FeedSubscription(models.Model):
    consumer = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("consumer unit"),
        related_name="exchange_feed_subscriptions",
        on_delete=models.PROTECT,
    )
    table = models.ForeignKey(
        "exchange.PublishedTable",
        verbose_name=_("table"),
        related_name="feed_subscriptions",
        on_delete=models.CASCADE,
    )
    channel = models.CharField(_("channel"), max_length=8, choices=FeedChannel.choices)
    webhook_url = models.URLField(_("webhook address"), max_length=500, blank=True)
    #: The webhook's HMAC-SM3 signing secret, sealed with SM4; shown once at creation.
    sealed_secret = models.TextField(_("sealed secret"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    #: The feed's head when the subscription began: an empty cursor starts after it.
    start_position = models.BigIntegerField(_("start position"), default=0)
    #: Push: the last position put in a delivery batch.
    queued_position = models.BigIntegerField(_("queued up to"), default=0)
    #: The last position delivered (push) or fetched (pull).
    acked_position = models.BigIntegerField(_("received up to"), default=0)
    last_received_at = models.DateTimeField(_("last received at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("feed subscription")
        verbose_name_plural = _("feed subscriptions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.consumer} · {self.table}"


class FeedDelivery(models.Model):
    id = models.BigAutoField(primary_key=True)
    subscription = models.ForeignKey(
        FeedSubscription,
        verbose_name=_("subscription"),
        related_name="deliveries",
        on_delete=models.CASCADE,
    )
    channel = models.CharField(_("channel"), max_length=8, choices=FeedChannel.choices)
    first_position = models.BigIntegerField(_("first position"))
    last_position = models.BigIntegerField(_("last position"))
    #: Changes the consumer received after the grant's filters (none for a pending batch).
    changes = models.PositiveIntegerField(_("changes"), default=0)
    status = models.CharField(
        _("status"), max_length=8, choices=FeedDeliveryStatus.choices, db_index=True
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    claim_token = models.CharField(_("claim token"), max_length=32, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    error_kind = models.CharField(_("error kind"), max_length=16, blank=True)
    error_status = models.PositiveSmallIntegerField(_("error status"), null=True, blank=True)
    oldest_written_at = models.DateTimeField(_("oldest change written at"))
    newest_written_at = models.DateTimeField(_("newest change written at"))
    created_at = models.DateTimeField(_("created at"))
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    #: Milliseconds from the oldest / newest change's write to its receipt.
    max_delay_ms = models.PositiveBigIntegerField(_("longest delay (ms)"), null=True, blank=True)
    min_delay_ms = models.PositiveBigIntegerField(_("shortest delay (ms)"), null=True, blank=True)

    class Meta:
        verbose_name = _("feed delivery")
        verbose_name_plural = _("feed deliveries")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["subscription", "status"], name="exchange_feed_delivery_open"),
            models.Index(fields=["status", "next_attempt_at"], name="exchange_feed_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.first_position}–{self.last_position}"

    @property
    def public_error(self) -> str:
        """What the subscriber and the provider are told of the last failure: its class,
        never the receiver's address or answer (``last_error``, for administrators)."""
        if not self.error_kind:
            return ""
        if self.error_kind in FeedError.values:
            return str(FeedError(self.error_kind).label)
        return str(FeedError.UNDELIVERED.label)
