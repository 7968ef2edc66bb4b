"""The exchange's core tables (issue 16, points 2 and 3).

A ``PublishedTable`` is a catalog resource's data put into the platform by its provider: its
columns and primary key; each row is a ``PublishedRow`` keyed by the canonical text of its
primary-key values, the values held as JSON so that one table serves every resource's layout
on SQLite and PostgreSQL alike. A ``Grant`` lets one consumer unit read one resource —
named columns, row filters, a purpose and an expiry — and the data API, not the pages,
enforces it. An ``AccessToken`` is a consumer unit's scoped secret for the data API; only its
SM3 digest is stored.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuzheng.exchange.choices import TableSource

# The message log's tables live in their own module (exchange-log); imported here for Django.
from shuzheng.exchange.log_models import MessageLogEntry, MessageLogHead, MessageLogSeal  # noqa: F401
from shuzheng.orgs.models import UnicodeJSONEncoder


class PublishedTable(models.Model):
    resource = models.OneToOneField(
        "catalog.DataResource",
        verbose_name=_("data resource"),
        related_name="published_table",
        on_delete=models.PROTECT,
    )
    source = models.CharField(_("source"), max_length=8, choices=TableSource.choices)
    #: [{"name": column, "type": ColumnType value, "title": the information item's name}]
    columns = models.JSONField(_("columns"), default=list, encoder=UnicodeJSONEncoder)
    primary_key = models.JSONField(_("primary key"), default=list, encoder=UnicodeJSONEncoder)
    #: For a proxied service: the upstream base address and its OpenAPI description.
    upstream_url = models.URLField(_("upstream address"), max_length=1000, blank=True)
    upstream_openapi = models.JSONField(
        _("upstream OpenAPI description"), default=dict, blank=True, encoder=UnicodeJSONEncoder
    )
    row_count = models.PositiveBigIntegerField(_("rows"), default=0)
    is_sample = models.BooleanField(_("sample data"), default=False)
    created_at = models.DateTimeField(_("created at"))
    modified_at = models.DateTimeField(_("modified at"))

    class Meta:
        verbose_name = _("published table")
        verbose_name_plural = _("published tables")

    def __str__(self) -> str:
        return str(self.resource)


class PublishedRow(models.Model):
    id = models.BigAutoField(primary_key=True)
    table = models.ForeignKey(
        PublishedTable, verbose_name=_("table"), related_name="rows", on_delete=models.CASCADE
    )
    #: The canonical text of the row's primary-key values (``exchange.rows.row_key``).
    key = models.CharField(_("primary key value"), max_length=400)
    values = models.JSONField(_("values"), encoder=UnicodeJSONEncoder)
    modified_at = models.DateTimeField(_("modified at"))

    class Meta:
        verbose_name = _("published row")
        verbose_name_plural = _("published rows")
        constraints = [
            models.UniqueConstraint(fields=["table", "key"], name="exchange_row_key_unique")
        ]

    def __str__(self) -> str:
        return self.key


class Grant(models.Model):
    consumer = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("consumer unit"),
        related_name="exchange_grants",
        on_delete=models.PROTECT,
    )
    resource = models.ForeignKey(
        "catalog.DataResource",
        verbose_name=_("data resource"),
        related_name="exchange_grants",
        on_delete=models.PROTECT,
    )
    #: The columns the consumer may read; a column not named here is never returned.
    columns = models.JSONField(_("granted columns"), default=list, encoder=UnicodeJSONEncoder)
    #: Row filters every query is narrowed by: [{"column": …, "op": "eq" | "in", "value": …}].
    row_filters = models.JSONField(_("row filters"), default=list, encoder=UnicodeJSONEncoder)
    purpose = models.TextField(_("purpose"))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    granted_at = models.DateTimeField(_("granted at"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        related_name="+",
        null=True,
        on_delete=models.SET_NULL,
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    revoke_reason = models.TextField(_("revocation reason"), blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["consumer", "resource"], name="exchange_grant_pair")]

    def __str__(self) -> str:
        return f"{self.consumer} · {self.resource}"


class AccessToken(models.Model):
    consumer = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("consumer unit"),
        related_name="exchange_tokens",
        on_delete=models.PROTECT,
    )
    name = models.CharField(_("name"), max_length=100)
    #: The first characters of the secret, shown so a holder can tell tokens apart.
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    #: SM3 of the secret (hex); the secret itself is shown once and never stored.
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    #: The resources this token may read (each still needs a live grant).
    resources = models.ManyToManyField(
        "catalog.DataResource", verbose_name=_("data resources"), related_name="+", blank=True
    )
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        related_name="+",
        null=True,
        on_delete=models.SET_NULL,
    )
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


# The requests part's tables (issue 16, points 1 and 5), in their own module.
from shuzheng.exchange.request_models import DataRequest, Objection, RequestDecision  # noqa: E402,F401,I001

# The change feed's tables (issue 16, point 4), in their own module.
from shuzheng.exchange.feed_models import FeedChange, FeedDelivery, FeedSubscription  # noqa: E402,F401,I001
