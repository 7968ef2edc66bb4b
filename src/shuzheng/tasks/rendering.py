"""The ledger's codes in the reader's language: the Django layer of the pure rule modules.

``tasks.status`` and ``tasks.scoring`` return codes with their parameters and mark their
sentences with ``gettext_noop``; nothing stores a rendered sentence. The functions here
render them through gettext in the active language — the viewer's on a page, the
requester's in an export — so a Chinese reader never sees an English sentence.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext

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
