"""The audit trail: one row for every change made through a service."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

#: ``actor_name`` of what the platform does by itself (the worker, a command, a rule).
SYSTEM_ACTOR = "system"


class AuditEvent(models.Model):
    """Who changed what, when, with the object's state before and after.

    ``actor_name`` keeps the actor readable after the account is deleted; ``object_type``
    and ``object_id`` are plain text so that events survive the object they describe.

    The events form a hash chain (``audit.chain``, issue 10 point 5): ``sequence`` counts
    them from 1 without gaps, ``prev_hash`` is the hash of the event before (64 zeros for the
    first) and ``hash`` is SM3 over ``prev_hash`` and the event's canonical fields, so an
    event changed, inserted or removed in the database breaks the chain where it happened
    (``shuzheng audit verify``). ``at`` is set before the insert, because it is hashed. An
    event is written without them and chained within seconds by the worker
    (``audit.services.chain_pending_events``): until then ``sequence`` is NULL.
    """

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True, null=True, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, editable=False)
    hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)
    at = models.DateTimeField(_("at"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    remote_addr = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_repr}"

    @property
    def actor_label(self) -> str:
        """Who acted, as pages show it: the stored name, or 系统 for the platform itself
        (the stored ``SYSTEM_ACTOR`` stays an identifier, like the action codes)."""
        if self.actor_id is None and self.actor_name == SYSTEM_ACTOR:
            return gettext("System")
        return self.actor_name


class ChainHead(models.Model):
    """The last event of the chain: one row (``pk`` 1), locked by every append so that two
    transactions never chain onto the same event (``audit.services.record_change``), and
    compared with the last event by ``verify``, so that removing the newest events shows."""

    sequence = models.PositiveBigIntegerField(_("sequence"), default=0)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.hash[:16]}"


class ChainSeal(models.Model):
    """The chain head as it was at ``sealed_at``, signed (``audit.services.seal_chain_head``):
    rewriting the chain up to a sealed event — even recomputing every hash — no longer
    matches the seal, and a seal cannot be made without the platform's key."""

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    head_hash = models.CharField(_("head hash"), max_length=64)
    sealed_at = models.DateTimeField(_("sealed at"), default=timezone.now)
    algorithm = models.CharField(_("algorithm"), max_length=32)
    signature = models.TextField(_("signature"))

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("audit chain seal")
        verbose_name_plural = _("audit chain seals")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.head_hash[:16]} {self.sealed_at:%Y-%m-%d %H:%M:%S}"
