"""The ledger's codes in the reader's language: the Django layer of the pure rule modules.

``tasks.status`` and ``tasks.scoring`` return codes with their parameters and mark their
sentences with ``gettext_noop``; nothing stores a rendered sentence. The functions here
render them through gettext in the active language — the viewer's on a page, the
requester's in an export — so a Chinese reader never sees an English sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.utils.translation import gettext, gettext_noop

from shuzheng.notifications.wording import Wording
from shuzheng.tasks.choices import MilestoneKind
from shuzheng.tasks.deadlines import ReminderStage
from shuzheng.tasks.models import KeyTask
from shuzheng.tasks.scoring import Problem
from shuzheng.tasks.status import Light, Reason, Verdict


def stored_reason(task: KeyTask, today: date) -> str:
    """The reason of the task's stored light (``tasks.services.lights``), its day count
    counted for ``today``; empty while the light waits for the refresh."""
    if not task.light_reason:
        return ""
    verdict = Verdict(Light(task.light), Reason(task.light_reason), task.light_on, task.light_days)
    return verdict.recounted(today).describe(gettext)


def rules_problem(problem: str) -> str:
    """A fault of a rules file (``tasks.scoring.Problem``) in the reader's language; a
    problem the Django layer worded itself (an upload that is not JSON) is already in it."""
    if not isinstance(problem, Problem):
        return problem
    return problem.describe(gettext)


# -- the ledger's notifications (kinds registered by tasks.hooks; params from services) -----


def assigned_notice(params: Mapping) -> Wording:
    """交办: a task assigned to the reader's unit."""
    return Wording(
        title=gettext("Task assigned to your unit: %(task)s") % {"task": params["task"]},
        body=gettext("Due on %(due)s. %(note)s")
        % {"due": params["due"] or "—", "note": params["note"]},
        reason=gettext("Your unit was assigned this key task (交办)."),
    )


def rejected_notice(params: Mapping) -> Wording:
    """A completion claim the supervisor rejected; the body is the supervisor's own words."""
    return Wording(
        title=gettext("Completion claim rejected: %(task)s") % {"task": params["task"]},
        body=params["why"],
        reason=gettext("The supervisor rejected your unit's completion claim."),
    )


def reminder_notice(params: Mapping) -> Wording:
    """催办: a milestone due soon, today or past (``tasks.services.reminders``)."""
    stage = ReminderStage(params["stage"])
    if stage == ReminderStage.BEFORE:
        title = gettext("Reminder: %(task)s is due on %(due)s")
    elif stage == ReminderStage.ON:
        title = gettext("Due today: %(task)s (%(due)s)")
    else:
        title = gettext("Overdue (催办): %(task)s was due on %(due)s")
    return Wording(
        title=title % {"task": params["task"], "due": params["due"]},
        body=gettext(
            "Milestone: %(milestone)s. Report progress or claim completion on the task page."
        )
        % {"milestone": _milestone(params)},
        reason=gettext("Your unit was assigned this key task."),
    )


def red_light_notice(params: Mapping) -> Wording:
    """A milestone of a task assigned to the reader's unit turned red, with the light's reason."""
    verdict = Verdict(
        Light(params["light"]),
        Reason(params["reason"]),
        date.fromisoformat(params["on"]) if params["on"] else None,
        params["days"],
    )
    return Wording(
        title=gettext("Red light: %(task)s") % {"task": params["task"]},
        body=gettext("%(milestone)s: %(verdict)s")
        % {"milestone": _milestone(params), "verdict": verdict.describe(gettext)},
        reason=gettext("A milestone of a task assigned to your unit is overdue."),
    )


def _milestone(params: Mapping) -> str:
    return params["milestone"] or str(MilestoneKind(params["milestone_kind"]).label)


# -- the collaboration notices (issue 14, point 6) -----------------------------------------

#: The words for the ledger's audit action codes: the task page's timeline and the notices
#: to a task's watchers.
STEP_WORDS = {
    "tasks.create": gettext_noop("Entered by hand"),
    "tasks.update_settings": gettext_noop("Settings changed"),
    "tasks.assign": gettext_noop("Assigned (交办)"),
    "tasks.undertake": gettext_noop("Accepted (承办)"),
    "tasks.report": gettext_noop("Progress reported (反馈)"),
    "tasks.claim": gettext_noop("Completion claimed (申请办结)"),
    "tasks.close": gettext_noop("Closed (办结)"),
    "tasks.reject": gettext_noop("Completion claim rejected"),
    "tasks.decompose": gettext_noop("Split into sub-tasks"),
    "tasks.comment": gettext_noop("Commented"),
    "tasks.watch": gettext_noop("Started following"),
    "tasks.unwatch": gettext_noop("Stopped following"),
    "tasks.request_extension": gettext_noop("Extension requested (延期申请)"),
    "tasks.approve_extension": gettext_noop("Extension approved"),
    "tasks.refuse_extension": gettext_noop("Extension refused"),
    "admin.add": gettext_noop("Added in the administration"),
    "admin.change": gettext_noop("Corrected in the administration"),
}


def step_label(action: str) -> str:
    words = STEP_WORDS.get(action)
    return gettext(words) if words else action


def mentioned_notice(params: Mapping) -> Wording:
    return Wording(
        title=gettext("%(author)s mentioned you on %(task)s")
        % {"author": params["author"] or gettext("Someone"), "task": params["task"]},
        body=params["text"],
        reason=gettext("You were mentioned (@) in a comment on this task."),
    )


def watched_step_notice(params: Mapping) -> Wording:
    return Wording(
        title=gettext("%(step)s: %(task)s")
        % {"step": step_label(params["step"]), "task": params["task"]},
        body=gettext("By %(by)s.") % {"by": params["by"] or "—"},
        reason=gettext("You follow this task."),
    )


def extension_requested_notice(params: Mapping) -> Wording:
    return Wording(
        title=gettext("Extension requested (延期申请): %(task)s") % {"task": params["task"]},
        body=gettext("%(unit)s asks to move %(milestone)s from %(due)s to %(proposed)s: %(why)s")
        % {key: params[key] for key in ("unit", "milestone", "due", "proposed", "why")},
        reason=gettext("Supervisors decide extension requests."),
    )


def extension_decided_notice(params: Mapping) -> Wording:
    if params["approved"]:
        title = gettext("Extension approved: %(task)s")
        body = gettext("%(milestone)s is now due on %(due)s. %(note)s")
    else:
        title = gettext("Extension refused: %(task)s")
        body = gettext("%(milestone)s stays due on %(due)s. %(note)s")
    return Wording(
        title=title % {"task": params["task"]},
        body=body % {key: params[key] for key in ("milestone", "due", "note")},
        reason=gettext("Your unit asked for this extension."),
    )
