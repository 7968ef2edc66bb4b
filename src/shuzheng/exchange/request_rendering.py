"""How the requests' and objections' notifications read, in the reader's language (the
notification keeps only codes and names, ``notifications.wording``)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from shuzheng.exchange.request_choices import ObjectionState, RequestState
from shuzheng.notifications.wording import Wording


def _state(value: str) -> str:
    return str(RequestState(value).label) if value in RequestState.values else value


def request_waiting(params: Mapping) -> Wording:
    return Wording(
        title=_("Data request from %(consumer)s waits for your answer")
        % {"consumer": params["consumer"]},
        body=_("%(consumer)s asks for %(subject)s. Answer by %(due)s.") % params,
        reason=_("Your unit answers this data request."),
    )


def request_decided(params: Mapping) -> Wording:
    return Wording(
        title=_("Your data request for %(subject)s: %(state)s")
        % {"subject": params["subject"], "state": _state(params["state"])},
        body=_("Open the request to read the decision and its reason."),
        reason=_("You drafted this data request."),
    )


def request_reminder(params: Mapping) -> Wording:
    if params.get("urgency") == "overdue":
        title = _("Overdue: the data request from %(consumer)s was due on %(due)s") % params
    else:
        title = _("Due soon: answer the data request from %(consumer)s by %(due)s") % params
    return Wording(
        title=title,
        body=_("%(consumer)s asks for %(subject)s.") % params,
        reason=_("Your unit answers this data request."),
    )


def objection_raised(params: Mapping) -> Wording:
    return Wording(
        title=_("Objection to record %(record)s of %(resource)s") % params,
        body=_(
            "Check the record and answer by %(due)s: confirm and correct it, or reject the objection with a reason."
        )
        % params,
        reason=_("Your unit provides this data."),
    )


def objection_answered(params: Mapping) -> Wording:
    state = params["state"]
    label = str(ObjectionState(state).label) if state in ObjectionState.values else state
    return Wording(
        title=_("Your objection to record %(record)s of %(resource)s: %(state)s")
        % {**params, "state": label},
        body=_("Open the objection to read the provider's answer."),
        reason=_("You raised this objection."),
    )


def objection_reminder(params: Mapping) -> Wording:
    if params.get("urgency") == "overdue":
        title = _("Overdue: the objection to record %(record)s was due on %(due)s") % params
    else:
        title = _("Due soon: answer the objection to record %(record)s by %(due)s") % params
    return Wording(
        title=title, body=str(params["resource"]), reason=_("Your unit provides this data.")
    )
