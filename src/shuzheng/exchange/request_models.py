"""供需对接 and 数据异议: data requests with their decisions, and objections (issue 16, points
1 and 5). Imported by ``exchange.models`` so that Django finds them; written only by
``exchange.request_services``, ``exchange.grant_services`` and ``exchange.objection_services``.

A ``DataRequest`` is a consumer unit's application for a catalog resource — or a demand for
data not yet in the catalog, which the catalog office routes to a likely provider — with its
purpose, legal basis, the fields (columns) and the scope (row filters) it asks for and the
period it needs them. Each step it takes is a ``RequestDecision`` with its reason; the step
waiting for an answer has a deadline (``step_due_at``). An approved request points at the
``Grant`` it led to.

An ``Objection`` flags one record (a published row, by its primary-key value) as wrong,
with evidence; while it is open the row carries the "under objection" mark wherever it is
shown, the data API included (``exchange.objection_selectors``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuzheng.exchange.request_choices import (
    ObjectionState,
    RefusalCause,
    RequestAction,
    RequestState,
)
from shuzheng.orgs.models import UnicodeJSONEncoder


class DataRequest(models.Model):
    consumer = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("consumer unit"),
        related_name="exchange_requests",
        on_delete=models.PROTECT,
    )
    #: The catalog resource asked for; empty for a demand the catalog office routes.
    resource = models.ForeignKey(
        "catalog.DataResource",
        verbose_name=_("data resource"),
        related_name="exchange_requests",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    #: The data wanted, in the consumer's words, when no catalog resource holds it.
    demand = models.TextField(_("data wanted"), blank=True)
    #: The unit that answers: the resource's provider, or the one the office routed to.
    provider = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("provider"),
        related_name="exchange_requests_received",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    purpose = models.TextField(_("purpose"))
    legal_basis = models.TextField(_("legal basis"))
    #: The columns asked for (information items' column names).
    columns = models.JSONField(_("fields"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    #: The rows asked for, as row filters: [{"column": …, "op": "eq" | "in", "value": …}].
    row_filters = models.JSONField(_("scope"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    scope_note = models.TextField(_("scope in words"), blank=True)
    needed_until = models.DateField(_("needed until"))
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=RequestState.choices,
        default=RequestState.DRAFT,
        db_index=True,
    )
    #: When the step waiting for an answer is due (routing or the provider's decision).
    step_due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    refusal_cause = models.CharField(
        _("refusal cause"), max_length=12, choices=RefusalCause.choices, blank=True
    )
    grant = models.OneToOneField(
        "exchange.Grant",
        verbose_name=_("grant"),
        related_name="request",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        related_name="+",
        null=True,
        on_delete=models.SET_NULL,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    #: When the current waiting step began (submitted to the provider, or to the office).
    step_started_at = models.DateTimeField(_("step started at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["consumer", "state"], name="exchange_request_consumer"),
            models.Index(fields=["provider", "state"], name="exchange_request_provider"),
            models.Index(fields=["state", "step_due_at"], name="exchange_request_due"),
        ]

    def __str__(self) -> str:
        return f"{self.consumer} · {self.resource or self.demand[:40]}"


class RequestDecision(models.Model):
    """One step of a request, with the reason given (退回, 拒绝 and approvals say why)."""

    request = models.ForeignKey(
        DataRequest,
        verbose_name=_("data request"),
        related_name="decisions",
        on_delete=models.CASCADE,
    )
    action = models.CharField(_("action"), max_length=12, choices=RequestAction.choices)
    from_state = models.CharField(_("from"), max_length=12, choices=RequestState.choices)
    to_state = models.CharField(_("to"), max_length=12, choices=RequestState.choices)
    reason = models.TextField(_("reason"), blank=True)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("unit"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        related_name="+",
        null=True,
        on_delete=models.SET_NULL,
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("request decision")
        verbose_name_plural = _("request decisions")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_state} → {self.to_state}"


class Objection(models.Model):
    resource = models.ForeignKey(
        "catalog.DataResource",
        verbose_name=_("data resource"),
        related_name="exchange_objections",
        on_delete=models.PROTECT,
    )
    #: The record's primary-key value (``PublishedRow.key``); kept when the row goes away.
    record_key = models.CharField(_("record"), max_length=400)
    row = models.ForeignKey(
        "exchange.PublishedRow",
        verbose_name=_("row"),
        related_name="objections",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    #: The consumer unit that raised it; empty for a member of the public.
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("raised by unit"),
        related_name="exchange_objections_raised",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        related_name="+",
        null=True,
        on_delete=models.SET_NULL,
    )
    description = models.TextField(_("what is wrong"))
    evidence = models.FileField(
        _("evidence"), upload_to="exchange/objections/%Y/%m/", max_length=255, blank=True
    )
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    evidence_sha256 = models.CharField(_("evidence SHA-256"), max_length=64, blank=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=ObjectionState.choices,
        default=ObjectionState.OPEN,
        db_index=True,
    )
    raised_at = models.DateTimeField(_("raised at"))
    due_at = models.DateTimeField(_("answer due"))
    answer = models.TextField(_("provider's answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-raised_at", "-id"]
        indexes = [
            models.Index(fields=["resource", "state", "record_key"], name="exchange_objection_key"),
            models.Index(fields=["state", "due_at"], name="exchange_objection_due"),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id}: {self.record_key}"
