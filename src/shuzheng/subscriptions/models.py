"""What people follow in the policy library (issue 4, item 4: 信息找人), and the enterprise
profile that policies for enterprises are matched against (seed task 89: 惠企政策精准推送).

Deliveries are not stored here: a match becomes a ``notifications.Notification`` (inbox) with
its email and webhook ``Delivery`` rows, written in the ingest transaction.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuzheng.subscriptions import matching
from shuzheng.subscriptions.choices import EnterpriseSize, SubscriptionKind


class Subscription(models.Model):
    """One thing a person follows: a saved search (``params``: the /search/ parameters), a
    topic (``topic``), a unit (``unit``) or a document's versions (``document_identity``)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        related_name="subscriptions",
        on_delete=models.CASCADE,
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SubscriptionKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)
    params = models.JSONField(_("search parameters"), default=dict, blank=True)
    topic = models.CharField(_("topic"), max_length=64, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        related_name="subscriptions",
        on_delete=models.CASCADE,
    )
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        related_name="subscriptions",
        on_delete=models.SET_NULL,
    )
    document_identity = models.CharField(
        _("document identity"), max_length=700, blank=True, db_index=True
    )
    document_title = models.CharField(_("document title"), max_length=500, blank=True)
    key = models.CharField(_("fingerprint"), max_length=64, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        ordering = ["owner_id", "-created_at", "-id"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="subscription_once_per_owner"),
        ]
        indexes = [models.Index(fields=["kind", "active"], name="subscription_kind_active")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """What the subscription follows, as its owner reads it."""
        if self.name:
            return self.name
        if self.kind == SubscriptionKind.SEARCH:
            return matching.search_label(self.params)
        if self.kind == SubscriptionKind.TOPIC:
            return f"“{self.topic}”"
        if self.kind == SubscriptionKind.UNIT:
            return self.unit.name if self.unit_id else ""
        return self.document_title

    @property
    def search_url(self) -> str:
        """The /search/ page of a saved search or topic (empty for the other kinds)."""
        from django.urls import reverse
        from django.utils.http import urlencode

        if self.kind == SubscriptionKind.SEARCH:
            return f"{reverse('search:results')}?{urlencode(self.params)}"
        if self.kind == SubscriptionKind.TOPIC:
            return f"{reverse('search:results')}?{urlencode({'q': f'“{self.topic}”'})}"
        return ""


class EnterpriseProfile(models.Model):
    """An enterprise's industry, region, size and tags; policies written for such
    enterprises are pushed to it (seed task 89; the rule: ``matching.profile_fit``)."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        related_name="enterprise_profile",
        on_delete=models.CASCADE,
    )
    industry = models.CharField(_("industry"), max_length=50, blank=True)
    region = models.ForeignKey(
        "orgs.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    size = models.CharField(_("size"), max_length=8, choices=EnterpriseSize.choices, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    active = models.BooleanField(_("push matching policies"), default=True)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("enterprise profile")
        verbose_name_plural = _("enterprise profiles")

    def __str__(self) -> str:
        return self.as_profile().summary() or str(self.owner)

    def as_profile(self) -> matching.Profile:
        region_names: tuple[str, ...] = ()
        if self.region_id:
            region_names = tuple(
                name for name in (self.region.name, self.region.short_name) if name
            )
        return matching.Profile(
            industry=self.industry,
            region_names=region_names,
            size=self.size,
            tags=tuple(self.tags or ()),
        )
