"""Objections to shared data (数据异议处理, issue 16 point 5): raising one with evidence, and
the provider's answer — confirm and correct, or reject with a reason — within a deadline.

Source: 《政务信息资源共享管理暂行办法》(国发〔2016〕51号) 第十八条: a consumer who doubts
shared data or finds it plainly wrong reports it to the provider, who checks and corrects it.
Issue 16 adds the public (a record of open data) and a deadline; the record carries the
"under objection" mark until the objection is answered (``objection_selectors``).

Who may act: a consumer unit's staff for a resource their unit holds a grant of
(``act_for_unit``); a member of the public for a resource open to the public
(``submit_own_requests``); the provider unit's staff answer (``act_for_unit`` for the
provider). Each function is one transaction and records an audit event.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from shuzheng import clock, uploads
from shuzheng.accounts.authorization import ensure_perm, has_perm
from shuzheng.accounts.models import User
from shuzheng.accounts.permissions import ROLE_PERMISSIONS, UNIT_BOUND_ROLES
from shuzheng.audit.services import record_change
from shuzheng.catalog.models import DataResource
from shuzheng.exchange import request_rules as rules
from shuzheng.exchange.models import Grant, PublishedRow
from shuzheng.exchange.request_choices import ObjectionState
from shuzheng.exchange.request_models import Objection
from shuzheng.exchange.request_services import deadlines, due_after
from shuzheng.notifications.services import notify

RAISED_KIND = "exchange_objection_raised"
ANSWERED_KIND = "exchange_objection_answered"
REMINDER_KIND = "exchange_objection_reminder"
#: Evidence accepted (kinds and signatures are the kernel's, ``shuzheng.uploads``).
EVIDENCE_KINDS = uploads.kinds(
    ".pdf", ".png", ".jpg", ".jpeg", ".docx", ".xlsx", ".ofd", ".txt", ".csv"
)
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


class ObjectionError(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{key}: {value}" for key, value in errors.items()))
        self.errors = errors


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _state(objection: Objection) -> dict:
    return {
        "resource": objection.resource_id,
        "record_key": objection.record_key,
        "unit": objection.unit_id,
        "state": objection.state,
        "description": objection.description,
        "evidence_sha256": objection.evidence_sha256,
        "due_at": objection.due_at.isoformat(),
        "answer": objection.answer,
    }


def _check_evidence(upload) -> tuple[str, str]:
    name = uploads.base_name(getattr(upload, "name", ""))
    extension = uploads.extension_of(name)
    if not name or extension not in EVIDENCE_KINDS:
        raise ObjectionError(
            {
                "evidence": _("Evidence must be one of these file types: %(types)s.")
                % {"types": "、".join(sorted(EVIDENCE_KINDS))}
            }
        )
    size = getattr(upload, "size", 0) or 0
    if size == 0:
        raise ObjectionError({"evidence": _("The evidence file is empty.")})
    if size > EVIDENCE_MAX_BYTES:
        raise ObjectionError({"evidence": _("The evidence file may be at most 10 MB.")})
    read = uploads.read(upload)
    if not uploads.content_matches(read.head, extension):
        raise ObjectionError(
            {"evidence": _("The evidence file does not contain what its name says.")}
        )
    return name[:255], read.sha256


def may_raise(user, resource: DataResource, unit=None) -> bool:
    """A consumer unit that was granted the resource, or the public for open data."""
    if unit is not None:
        return (
            has_perm(user, "act_for_unit", unit)
            and Grant.objects.filter(consumer=unit, resource=resource).exists()
        )
    return has_perm(user, "submit_own_requests") and resource.is_public


@transaction.atomic
def raise_objection(
    *,
    actor,
    resource: DataResource,
    record_key: str,
    description: str,
    unit=None,
    evidence=None,
    is_sample: bool = False,
) -> Objection:
    """Flag one record of ``resource`` (by its primary-key value) as wrong, with evidence;
    the provider must answer within ``Deadlines.objection_days`` working days."""
    if actor is not None and not may_raise(actor, resource, unit):
        ensure_perm(actor, "act_for_unit" if unit is not None else "submit_own_requests", unit)
        raise ObjectionError({"resource": _("You can object only to data you were given.")})
    errors = {}
    record_key = (record_key or "").strip()
    row = None
    if not record_key:
        errors["record_key"] = _("Name the record (its primary-key value).")
    else:
        row = (
            PublishedRow.objects.filter(table__resource=resource, key=record_key)
            .only("id", "key")
            .first()
        )
        if row is None:
            errors["record_key"] = _("The resource has no record with this primary-key value.")
    if not (description or "").strip():
        errors["description"] = _("Say what is wrong with the record.")
    evidence_name = evidence_sha256 = ""
    if evidence is not None:
        try:
            evidence_name, evidence_sha256 = _check_evidence(evidence)
        except ObjectionError as error:
            errors.update(error.errors)
    if errors:
        raise ObjectionError(errors)
    now = clock.now()
    objection = Objection(
        resource=resource,
        record_key=record_key,
        row=row,
        unit=unit,
        raised_by=_user(actor),
        description=description.strip(),
        evidence_name=evidence_name,
        evidence_sha256=evidence_sha256,
        raised_at=now,
        due_at=due_after(now, deadlines().objection_days),
        is_sample=is_sample,
    )
    if evidence is not None:
        evidence.seek(0)
        objection.evidence.save(
            uuid.uuid4().hex + uploads.extension_of(evidence_name), evidence, save=False
        )
    objection.save()
    record_change(
        actor=actor, action="exchange.raise_objection", obj=objection, after=_state(objection)
    )
    transaction.on_commit(lambda: _notify(objection.pk, RAISED_KIND))
    return objection


@transaction.atomic
def answer_objection(*, actor, objection: Objection, confirm: bool, answer: str) -> Objection:
    """The provider's answer: confirmed (the record was corrected — through the provider's
    upload or sync, which the data API serves from then on) or rejected with its reason."""
    objection = (
        Objection.objects.select_for_update(of=("self",))
        .select_related("resource")
        .get(pk=objection.pk)
    )
    if actor is not None:
        ensure_perm(actor, "act_for_unit", objection.resource.provider_id)
    if objection.state != ObjectionState.OPEN:
        raise ObjectionError({"state": _("This objection was answered already.")})
    answer = (answer or "").strip()
    if not answer:
        raise ObjectionError(
            {
                "answer": _("Say what was corrected.")
                if confirm
                else _("Give the reason for rejecting the objection.")
            }
        )
    before = _state(objection)
    objection.state = ObjectionState.CONFIRMED if confirm else ObjectionState.REJECTED
    objection.answer = answer
    objection.answered_at = clock.now()
    objection.answered_by = _user(actor)
    objection.save()
    record_change(
        actor=actor,
        action="exchange.answer_objection",
        obj=objection,
        before=before,
        after=_state(objection),
    )
    transaction.on_commit(lambda: _notify(objection.pk, ANSWERED_KIND))
    return objection


def provider_staff(unit_id) -> list[User]:
    """Who answers objections for a provider unit: its staff and heads (``act_for_unit``)."""
    roles = [
        r
        for r, perms in ROLE_PERMISSIONS.items()
        if "act_for_unit" in perms and r in UNIT_BOUND_ROLES
    ]
    return list(User.objects.filter(unit_id=unit_id, role__in=roles, is_active=True))


def _params(objection: Objection) -> dict:
    return {
        "objection": objection.pk,
        "resource": objection.resource.title,
        "record": objection.record_key,
        "state": objection.state,
        "due": objection.due_at.date().isoformat(),
    }


def _link(objection: Objection) -> str:
    return f"/exchange/objections/{objection.pk}/"


def _notify(objection_id: int, kind: str) -> int:
    objection = Objection.objects.select_related("resource", "raised_by").get(pk=objection_id)
    if kind == ANSWERED_KIND:
        people = [objection.raised_by] if objection.raised_by else []
    else:
        people = provider_staff(objection.resource.provider_id)
    sent = 0
    for person in people:
        sent += bool(
            notify(
                person,
                kind=kind,
                params=_params(objection),
                link=_link(objection),
                dedupe_key=f"exchange-objection-{objection.pk}-{kind}",
            )
        )
    return sent


def send_objection_reminders(now: dt.datetime | None = None) -> int:
    """Remind the provider of an open objection the day before it is due and once overdue."""
    now = now or clock.now()
    sent = 0
    due = Objection.objects.filter(
        state=ObjectionState.OPEN, due_at__lte=now + dt.timedelta(days=1)
    ).select_related("resource")
    for objection in due:
        urgency = rules.urgency(now, objection.due_at)
        if urgency == rules.Urgency.ON_TIME:
            continue
        params = {**_params(objection), "urgency": urgency.value}
        for person in provider_staff(objection.resource.provider_id):
            sent += bool(
                notify(
                    person,
                    kind=REMINDER_KIND,
                    params=params,
                    link=_link(objection),
                    dedupe_key=f"exchange-objection-{objection.pk}-{urgency.value}",
                )
            )
    return sent
