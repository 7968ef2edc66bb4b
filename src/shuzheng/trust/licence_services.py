"""Every write of the electronic licences (issue 10, point 2), and their verification.

* :func:`save_licence_type` (``issue_licences`` for the unit): a licence type as data;
* :func:`issue_licence` and :func:`issue_licences` (the same, and ``use_seal``, which
  ``trust.services.sign`` checks): one licence, or a batch that is issued whole or not at
  all; each licence signed twice with the type's seal, over its canonical record and over
  its PDF's bytes, the second signature carried in the PDF;
* :func:`change_status` (suspend, reinstate, revoke), :func:`bind_holder` (``administer``);
* :func:`verify_licence` and :func:`verify_pdf`: validation reports for the public page.

Each write is one transaction with its audit events; ``by`` None means the system (loaders).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from shuzheng import clock, crypto
from shuzheng.accounts.authorization import ensure_perm
from shuzheng.audit.services import record_change
from shuzheng.privacy import keyed_digest
from shuzheng.trust import licence_messages, licences, sealed_pdf, services
from shuzheng.trust.choices import SealStatus
from shuzheng.trust.licence_models import (
    HolderIdentity,
    HolderKind,
    Licence,
    LicenceStatus,
    LicenceType,
)
from shuzheng.trust.licence_pdf import render_licences, verification_url
from shuzheng.trust.models import Seal

RECORD_KIND = "licence"
PDF_KIND = "licence_pdf"
#: A batch larger than this is refused before anything is read into licences.
BATCH_MAX = 20_000


class LicenceError(ValueError):
    """Refused input: ``errors`` maps a field (a form field, a face field's name, or "" for
    the whole request) to its messages, worded in the active language."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(m for messages in errors.values() for m in messages))
        self.errors = errors


class BatchError(ValueError):
    """A batch with refused rows: ``rows`` maps the row's position (1-based, or the sheet's
    row number the caller gave) to its :class:`LicenceError`. Nothing was issued."""

    def __init__(self, rows: dict[int, LicenceError]):
        super().__init__(f"{len(rows)} rows refused")
        self.rows = rows


@dataclass
class LicenceDraft:
    """What an issuer enters for one licence: the holder, the face values (as typed or as a
    spreadsheet holds them) and the issue date (today when None)."""

    holder_name: str
    holder_kind: str
    holder_code: str
    face: dict = field(default_factory=dict)
    issued_on: dt.date | None = None
    row: int = 0


def holder_key(kind: str, code: str) -> str:
    """The keyed digest a holder's code is found by (``shuzheng.privacy``)."""
    return keyed_digest(settings.SECRET_KEY, licences.HOLDER_KEY_PURPOSE, f"{kind}:{code}")


# -- licence types ------------------------------------------------------------------------------


def save_licence_type(
    *,
    by,
    unit,
    code: str,
    name: str,
    seal: Seal | None,
    face_fields: list[dict],
    validity_kind: str,
    validity_years: int = 0,
    is_sample: bool = False,
    instance: LicenceType | None = None,
) -> LicenceType:
    """Create (or, given ``instance``, change) a licence type of ``unit``. The code is fixed
    once licences carry it; the seal must be one of the unit's seals in use."""
    if by is not None:
        ensure_perm(by, "issue_licences", unit.pk)
    errors: dict[str, list[str]] = {}
    code = (code or "").strip().upper()
    name = (name or "").strip()
    if not licences.TYPE_CODE.match(code):
        errors.setdefault("code", []).append(
            _("Enter a type code of 2 to 12 capital letters and digits.")
        )
    elif LicenceType.objects.filter(code=code).exclude(pk=getattr(instance, "pk", None)).exists():
        errors.setdefault("code", []).append(_("Another licence type has this code."))
    elif instance is not None and instance.code != code and instance.licences.exists():
        errors.setdefault("code", []).append(
            _("Licences carry this type's code: it cannot change.")
        )
    if not name or len(name) > 100:
        errors.setdefault("name", []).append(_("Enter the type's name (up to 100 characters)."))
    if seal is None or seal.unit_id != unit.pk or seal.status != SealStatus.ACTIVE:
        errors.setdefault("seal", []).append(_("Choose one of the unit's seals in use."))
    try:
        parsed = licences.parse_face_fields(face_fields)
    except licences.LicenceRuleError as error:
        errors.setdefault("face_fields", []).append(licence_messages.rule_message(error))
        parsed = ()
    try:
        licences.ValidityRule(validity_kind, validity_years or 0)
    except licences.LicenceRuleError as error:
        errors.setdefault("validity", []).append(licence_messages.rule_message(error))
    if errors:
        raise LicenceError(errors)
    values = {
        "code": code,
        "name": name,
        "issuer": unit,
        "seal": seal,
        "face_fields": [f.as_data() for f in parsed],
        "validity_kind": validity_kind,
        "validity_years": validity_years or 0 if validity_kind == licences.YEARS else 0,
        "is_sample": is_sample,
    }
    with transaction.atomic():
        if instance is None:
            licence_type = LicenceType.objects.create(**values)
            before = None
        else:
            licence_type = LicenceType.objects.select_for_update().get(pk=instance.pk)
            before = _type_snapshot(licence_type)
            for key, value in values.items():
                setattr(licence_type, key, value)
            licence_type.save()
        record_change(
            actor=by,
            action="trust.save_licence_type",
            obj=licence_type,
            before=before,
            after=_type_snapshot(licence_type),
        )
    return licence_type


def _type_snapshot(licence_type: LicenceType) -> dict:
    return {
        "code": licence_type.code,
        "name": licence_type.name,
        "issuer": licence_type.issuer.code,
        "seal": licence_type.seal_id,
        "face_fields": licence_type.face_fields,
        "validity": [licence_type.validity_kind, licence_type.validity_years],
    }


# -- issuance -----------------------------------------------------------------------------------


@dataclass
class _Checked:
    draft: LicenceDraft
    holder_code: str
    face: dict
    issued_on: dt.date


def check_draft(licence_type: LicenceType, draft: LicenceDraft) -> _Checked:
    """The draft's values cleaned, or a :class:`LicenceError` naming every bad field."""
    errors: dict[str, list[str]] = {}
    name = (draft.holder_name or "").strip()
    if not name or len(name) > 200:
        errors["holder_name"] = [_("Enter the holder's name (up to 200 characters).")]
    code = ""
    if draft.holder_kind not in HolderKind.values:
        errors["holder_kind"] = [_("Choose the holder's code type.")]
    else:
        try:
            code = licences.normalise_holder_code(draft.holder_kind, draft.holder_code or "")
        except licences.LicenceRuleError as error:
            errors["holder_code"] = [licence_messages.rule_message(error)]
    face, face_errors = licences.clean_face_values(licence_type.fields, draft.face or {})
    labels = {f.name: f.label for f in licence_type.fields}
    for error in face_errors:
        errors.setdefault(error.field, []).append(
            licence_messages.field_message(labels.get(error.field, error.field), error)
        )
    issued_on = draft.issued_on or clock.today()
    if issued_on > clock.today():
        errors["issued_on"] = [_("The issue date cannot be later than today.")]
    if errors:
        raise LicenceError(errors)
    draft.holder_name = name
    return _Checked(draft, code, face, issued_on)


def issue_licence(licence_type: LicenceType, draft: LicenceDraft, *, by) -> Licence:
    """Issue one licence of ``licence_type``; :class:`LicenceError` names what is refused."""
    try:
        (licence,) = issue_licences(licence_type, [draft], by=by)
    except BatchError as error:
        raise next(iter(error.rows.values())) from None
    return licence


def issue_licences(
    licence_type: LicenceType, drafts: Iterable[LicenceDraft], *, by, workers: int = 1
) -> list:
    """Issue a licence for every draft in one transaction: every draft is checked first,
    and one refused draft (:class:`BatchError`) issues none. The PDFs are rendered and the
    signatures made in ``workers`` processes (bulk issuance, docs/benchmarks.md); the seal
    is locked and checked once for the batch (``services.sign_many``)."""
    if by is not None:
        ensure_perm(by, "issue_licences", licence_type.issuer_id)
    drafts = list(drafts)
    if len(drafts) > BATCH_MAX:
        raise LicenceError({"": [_("A batch holds at most %(n)d licences.") % {"n": BATCH_MAX}]})
    checked, refused = [], {}
    for position, draft in enumerate(drafts, start=1):
        try:
            checked.append(check_draft(licence_type, draft))
        except LicenceError as error:
            refused[draft.row or position] = error
    if refused:
        raise BatchError(refused)
    seal = licence_type.seal
    if seal.status != SealStatus.ACTIVE:
        raise LicenceError({"": [_("The type's seal is revoked: choose another seal first.")]})
    try:
        with transaction.atomic():
            locked = (
                LicenceType.objects.select_for_update()
                .select_related("issuer")
                .get(pk=licence_type.pk)
            )
            serials = _next_serials(locked)
            plans = [_plan(locked, item, serials) for item in checked]
            return _issue(locked, seal, plans, by=by, workers=workers)
    except services.TrustError as error:  # the seal refused: revoked, expired, no right
        raise LicenceError({"": [error.message]}) from None


def _next_serials(licence_type: LicenceType) -> dict[int, int]:
    """The last serial used in each year, read under the type's lock."""
    rows = licence_type.licences.values("year").annotate(last=Max("serial"))
    return {row["year"]: row["last"] for row in rows}


@dataclass
class _Plan:
    """One licence as it will be stored, before its PDF and signatures exist."""

    item: _Checked
    number: str
    year: int
    serial: int
    key: str
    masked: str
    valid_until: dt.date | None
    record_bytes: bytes
    digest: str
    document: dict


def _plan(licence_type: LicenceType, item: _Checked, serials) -> _Plan:
    year = item.issued_on.year
    serials[year] = serial = serials.get(year, 0) + 1
    unit = licence_type.issuer
    number = licences.licence_number(licence_type.code, unit.code, year, serial)
    draft = item.draft
    key = holder_key(draft.holder_kind, item.holder_code)
    masked = licences.mask_holder_code(item.holder_code)
    valid_until = licence_type.validity.valid_until(item.issued_on)
    record = licences.canonical_record(
        number=number,
        licence_type={"code": licence_type.code, "name": licence_type.name},
        holder={"kind": draft.holder_kind, "name": draft.holder_name, "key": key},
        face=item.face,
        issuer={"code": unit.code, "name": unit.name},
        issued_on=item.issued_on,
        valid_until=valid_until,
    )
    record_bytes = licences.canonical_bytes(record)
    digest = crypto.sm3_hex(record_bytes)
    labels = {f.name: f.label for f in licence_type.fields}
    document = {
        "type_name": licence_type.name,
        "number": number,
        "holder_name": draft.holder_name,
        "holder_kind_label": str(HolderKind(draft.holder_kind).label),
        "holder_masked": masked,
        "face": [(labels[name], value) for name, value in item.face.items()],
        "issuer_name": unit.name,
        "issued_on": item.issued_on,
        "valid_until": valid_until,
        "verify_url": verification_url(number, licences.short_digest(digest)),
    }
    return _Plan(
        item, number, year, serial, key, masked, valid_until, record_bytes, digest, document
    )


def _issue(licence_type: LicenceType, seal: Seal, plans: list[_Plan], *, by, workers) -> list:
    """Render, sign and store the planned licences: the record and the PDF of each signed
    with the type's seal, the PDF's signature carried in the PDF, each licence audited."""
    documents = render_licences(
        [plan.document for plan in plans], bytes(seal.image), workers=workers
    )
    signatures = services.sign_many(
        seal,
        [(plan.record_bytes, RECORD_KIND, plan.number) for plan in plans]
        + [(pdf, PDF_KIND, plan.number) for plan, pdf in zip(plans, documents, strict=True)],
        by=by,
        workers=workers,
    )
    record_signatures, pdf_signatures = signatures[: len(plans)], signatures[len(plans) :]
    now = clock.now()
    issuer = by if getattr(by, "is_authenticated", False) else None
    rows = Licence.objects.bulk_create(  # both databases return the ids (RETURNING)
        [
            Licence(
                number=plan.number,
                licence_type=licence_type,
                year=plan.year,
                serial=plan.serial,
                holder_kind=plan.item.draft.holder_kind,
                holder_name=plan.item.draft.holder_name,
                holder_key=plan.key,
                holder_masked=plan.masked,
                face=plan.item.face,
                issued_on=plan.item.issued_on,
                valid_until=plan.valid_until,
                digest=plan.digest,
                record=plan.record_bytes.decode("utf-8"),
                record_signature=record_signature,
                pdf_signature=pdf_signature,
                pdf=sealed_pdf.attach_signature(document, services.envelope(pdf_signature)),
                issued_at=now,
                issued_by=issuer,
            )
            for plan, document, record_signature, pdf_signature in zip(
                plans, documents, record_signatures, pdf_signatures, strict=True
            )
        ],
        batch_size=200,
    )
    for row, record_signature, pdf_signature in zip(
        rows, record_signatures, pdf_signatures, strict=True
    ):
        record_change(
            actor=by,
            action="trust.issue_licence",
            obj=row,
            after={
                "type": licence_type.code,
                "holder": row.holder_masked,
                "digest": row.digest,
                "signatures": [record_signature.number, pdf_signature.number],
            },
        )
    return rows


# -- status and holders -------------------------------------------------------------------------


def change_status(licence: Licence, new_status: str, reason: str, *, by) -> Licence:
    """Suspend, reinstate or revoke ``licence`` with ``reason`` (required but to reinstate)."""
    if by is not None:
        ensure_perm(by, "issue_licences", licence.licence_type.issuer_id)
    reason = (reason or "").strip()
    if new_status != LicenceStatus.VALID and not reason:
        raise LicenceError({"reason": [_("Give the reason.")]})
    if len(reason) > 200:
        raise LicenceError({"reason": [_("The reason is longer than 200 characters.")]})
    with transaction.atomic():
        locked = Licence.objects.select_for_update().get(pk=licence.pk)
        try:
            licences.check_transition(locked.status, new_status)
        except licences.LicenceRuleError as error:
            raise LicenceError({"status": [licence_messages.rule_message(error)]}) from None
        before = {"status": locked.status}
        locked.status = new_status
        locked.status_reason = reason
        locked.status_changed_at = clock.now()
        locked.save(update_fields=["status", "status_reason", "status_changed_at"])
        record_change(
            actor=by,
            action="trust.change_licence_status",
            obj=locked,
            before=before,
            after={"status": new_status, "reason": reason},
        )
    licence.refresh_from_db()
    return licence


def bind_holder(user, kind: str, code: str, *, by) -> HolderIdentity:
    """Bind a holder code to ``user`` (after real-name verification elsewhere): their
    "my licences" page then lists the licences issued to that code."""
    if by is not None:
        ensure_perm(by, "administer")
    try:
        normalised = licences.normalise_holder_code(kind, code)
    except licences.LicenceRuleError as error:
        raise LicenceError({"code": [licence_messages.rule_message(error)]}) from None
    key = holder_key(kind, normalised)
    with transaction.atomic():
        existing = HolderIdentity.objects.filter(key=key).first()
        if existing is not None and existing.user_id != user.pk:
            raise LicenceError({"code": [_("This code is bound to another account.")]})
        if existing is not None:
            return existing
        identity = HolderIdentity.objects.create(
            user=user, kind=kind, key=key, masked=licences.mask_holder_code(normalised)
        )
        record_change(
            actor=by,
            action="trust.bind_holder",
            obj=identity,
            after={"user": user.get_username(), "kind": kind, "code": identity.masked},
        )
    return identity


def licences_of(user):
    """The licences issued to any code bound to ``user``."""
    keys = HolderIdentity.objects.filter(user=user).values("key")
    return Licence.objects.filter(holder_key__in=keys).select_related("licence_type__issuer")


def stored_record_matches(licence: Licence) -> bool:
    """True when the signed record still says what the licence's columns say: an edit made
    in the database to a column shows here, an edit to the record in its signature."""
    try:
        signed = json.loads(licence.record)
        expected = licences.canonical_record(
            number=licence.number,
            licence_type=signed["type"],  # the type's name as it was at issue
            holder={
                "kind": licence.holder_kind,
                "name": licence.holder_name,
                "key": licence.holder_key,
            },
            face=licence.face,
            issuer=signed["issuer"],  # likewise the unit's
            issued_on=licence.issued_on,
            valid_until=licence.valid_until,
        )
    except (ValueError, KeyError, TypeError):
        return False
    return licences.canonical_bytes(expected) == licence.record.encode("utf-8")
