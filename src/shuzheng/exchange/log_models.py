"""The exchange's message log (issue 16, point 3): every answered data-API call, chained
with SM3 and sealed periodically with the platform's SM2 seal.

X-Road keeps every message as evidence, signed and time-stamped; GovStack's Information
Mediator asks for a signed message log. Here an entry keeps who asked what under which
grant and the SM3 digest of the answer (not the data). Entries form a hash chain with the
rules of ``audit.chain``: ``sequence`` counts them from 1 without gaps, ``prev_hash`` is the
hash of the entry before (64 zeros for the first), ``hash`` is SM3 over ``prev_hash`` and the
entry's canonical fields. An entry is written unchained (``sequence`` NULL) as the call is
answered and chained in batches later (``exchange.log_services.chain_pending_entries``), so
that no call waits for a lock on the chain's head — the complaint about X-Road's message
log time-stamping lock the issue asks to avoid.

The consumer, token and grant are kept as plain ids, not foreign keys: evidence must
outlive a revoked token or a deleted grant, and a link set to NULL would change a hashed
field.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MessageLogEntry(models.Model):
    id = models.BigAutoField(primary_key=True)
    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True, null=True, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, editable=False)
    hash = models.CharField(_("entry hash"), max_length=64, blank=True, editable=False)
    at = models.DateTimeField(_("at"), db_index=True)
    consumer_id = models.BigIntegerField(_("consumer unit"), null=True, blank=True, db_index=True)
    token_id = models.BigIntegerField(_("access token"), null=True, blank=True)
    grant_id = models.BigIntegerField(_("grant"), null=True, blank=True)
    resource_code = models.CharField(_("resource code"), max_length=100, blank=True, db_index=True)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=1000)
    query = models.TextField(_("query"), blank=True)
    status = models.PositiveSmallIntegerField(_("status"))
    response_digest = models.CharField(_("response digest"), max_length=64)
    rows = models.PositiveBigIntegerField(_("rows"), default=0)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("message log entry")
        verbose_name_plural = _("message log entries")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.sequence or '-'} {self.method} {self.path} {self.status}"


class MessageLogHead(models.Model):
    """The last chained entry: one row (``pk`` 1), locked by each chaining batch so that two
    chainers never chain onto the same entry, and compared with the last entry by
    ``verify-log``, so that removing the newest entries shows."""

    sequence = models.PositiveBigIntegerField(_("sequence"), default=0)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("message log head")
        verbose_name_plural = _("message log heads")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.hash[:16]}"


class MessageLogSeal(models.Model):
    """The chain head as it was at ``sealed_at``, signed with the platform's SM2 seal: a
    chain rewritten up to a sealed entry — even with every hash recomputed — no longer
    matches the seal, and a seal cannot be made without the platform's private key."""

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    head_hash = models.CharField(_("head hash"), max_length=64)
    sealed_at = models.DateTimeField(_("sealed at"), default=timezone.now)
    algorithm = models.CharField(_("algorithm"), max_length=32)
    signature = models.TextField(_("signature"))

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("message log seal")
        verbose_name_plural = _("message log seals")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.head_hash[:16]} {self.sealed_at:%Y-%m-%d %H:%M:%S}"
