"""Labels of the request and objection rules' values (``exchange.request_rules``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shuzheng.exchange import request_rules as rules


class RequestState(models.TextChoices):
    DRAFT = rules.RequestState.DRAFT.value, _("Draft")
    ROUTING = rules.RequestState.ROUTING.value, _("Waiting to be routed")
    SUBMITTED = rules.RequestState.SUBMITTED.value, _("Waiting for the provider")
    APPROVED = rules.RequestState.APPROVED.value, _("Approved")
    REFUSED = rules.RequestState.REFUSED.value, _("Refused")
    RETURNED = rules.RequestState.RETURNED.value, _("Returned for changes")


class RequestAction(models.TextChoices):
    CREATE = "create", _("Drafted")
    SUBMIT = rules.Action.SUBMIT.value, _("Submitted")
    ROUTE = rules.Action.ROUTE.value, _("Routed")
    APPROVE = rules.Action.APPROVE.value, _("Approved")
    REFUSE = rules.Action.REFUSE.value, _("Refused")
    RETURN = rules.Action.RETURN.value, _("Returned")


class RefusalCause(models.TextChoices):
    """Why a request was refused: by rule (the catalog) or by the provider's decision."""

    NOT_SHARED = rules.Outcome.REFUSE_NOT_SHARED.value, _("The catalog does not share it")
    CORE = rules.Outcome.REFUSE_CORE.value, _("Core data is never shared")
    UNPUBLISHED = rules.Outcome.REFUSE_UNPUBLISHED.value, _("Not published in the catalog")
    PROVIDER = "provider", _("Refused by the provider")
    OFFICE = "office", _("Refused by the catalog office")


class ObjectionState(models.TextChoices):
    OPEN = rules.ObjectionState.OPEN.value, _("Under objection")
    CONFIRMED = rules.ObjectionState.CONFIRMED.value, _("Confirmed and corrected")
    REJECTED = rules.ObjectionState.REJECTED.value, _("Rejected")
