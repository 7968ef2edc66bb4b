"""Words for what the hotline stores as codes: why a request went where it went, and the
Open311 status and notes of a 接诉即办 state (docs/hotline.md, "States")."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from shuzheng.hotline.choices import CLOSED_STATES, RequestState
from shuzheng.notifications.wording import Wording


def routing_reason(routing: dict) -> str:
    """The routing reason shown to operators and in status_notes, in the reader's language."""
    rule = routing.get("rule")
    if rule == "duty_map":
        text = _("Duty map: %(category)s in %(region)s (%(basis)s)") % routing
    elif rule == "local":
        text = (
            _("Not in the duty map: the people's government of %(region)s (local duty)") % routing
        )
    elif rule == "dispute":
        text = _("Decided in a dispute")
    elif rule == "by_hand":
        text = _("Dispatched by hand")
    else:
        text = ""
    if rule in ("dispute", "by_hand") and routing.get("note"):
        text = _("%(reason)s: %(note)s") % {"reason": text, "note": routing["note"]}
    if routing.get("classified"):
        words = {"words": "、".join(routing["classified"])}
        if routing.get("classified_by") == "suggestion":
            classified = (
                _(
                    "classified from the description by the learned suggestion (deciding words: %(words)s)"
                )
                % words
            )
        else:
            classified = _("classified from the description (keywords: %(words)s)") % words
        text = _("%(reason)s; %(classified)s") % {"reason": text, "classified": classified}
    return text


def open311_status(state: str) -> str:
    """``open`` or ``closed``: 已办结 and 已回访 are closed, every other state is open."""
    return "closed" if state in CLOSED_STATES else "open"


def state_label(state: str) -> str:
    return str(RequestState(state).label)


def survey_notice(params: Mapping) -> Wording:
    """The callback survey link sent to the caller after a unit's reply (回访)."""
    return Wording(
        title=_("Your request %(number)s was answered: tell us whether you are satisfied")
        % {"number": params["number"]},
        body=_(
            "%(unit)s replied to your request. Open the link to read the reply and say whether "
            "you are satisfied, basically satisfied or dissatisfied; if you are not, the "
            "request is handled again."
        )
        % {"unit": params["unit"]},
        reason=_("You submitted this request to the 12345 hotline."),
    )


def merged_notice(params: Mapping) -> Wording:
    """A caller's request merged under another reporting the same matter (合并)."""
    return Wording(
        title=_("Your request %(number)s is handled together with %(master)s")
        % {"number": params["number"], "master": params["master"]},
        body=_(
            "Other callers reported the same matter. Request %(master)s carries the work for "
            "all of them; you are told when it is answered."
        )
        % {"master": params["master"]},
        reason=_("You submitted this request to the 12345 hotline."),
    )


def merged_reply_notice(params: Mapping) -> Wording:
    """The reply to the master of a caller's merged request (合并后答复)."""
    return Wording(
        title=_("Your request %(number)s was answered with %(master)s")
        % {"number": params["number"], "master": params["master"]},
        body=_(
            "%(unit)s replied to request %(master)s, under which your request was merged as "
            "the same matter. Open the link to follow it."
        )
        % {"unit": params["unit"], "master": params["master"]},
        reason=_("You submitted this request to the 12345 hotline."),
    )
