"""/api/v1/trust/: verification for anyone (issue 10, item 4), the platform root and its
revocation list, and the seals for ``manage_seals`` (the licences' operations:
``trust.licence_api``). A verification answers the same outcome as /trust/verify/, limited
per client address like the page."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from shuzheng.accounts.api_auth import PUBLIC, SIGNED_IN
from shuzheng.accounts.authorization import api_requires
from shuzheng.api_contract import ErrorOut, Key, Pagination
from shuzheng.trust import services
from shuzheng.trust.models import Seal
from shuzheng.trust.verification import MAX_FILE_BYTES, Submission, verify_submission
from shuzheng.trust.verify_inputs import (
    SIGNATURE_NUMBER,
    outcome_data,
    throttled,
    verify_signature_number,
)

router = Router(tags=["trust"])


class VerifyCheckOut(Schema):
    check: str
    name: str
    status: str
    status_text: str
    reason: str
    message: str


class SignedAttributesOut(Schema):
    number: str
    seal_name: str
    unit_name: str
    certificate_serial: str
    signed_at: str
    subject_kind: str
    subject_ref: str


class ValidationReportOut(Schema):
    label: str
    verdict: str
    verdict_text: str
    checks: list[VerifyCheckOut]
    signature: SignedAttributesOut | None


class VerifyFactOut(Schema):
    label: str
    value: str


class VerificationOut(Schema):
    """A verification's answer: ``verdict`` TOTAL_PASSED, TOTAL_FAILED or INDETERMINATE
    (DSS), the problems found besides the signatures, facts, and each signature's report."""

    kind: str
    title: str
    verdict: str
    verdict_text: str
    problems: list[str]
    facts: list[VerifyFactOut]
    reports: list[ValidationReportOut]


class SealOut(Schema):
    id: int
    name: str
    unit_code: str
    unit_name: str
    kind: str
    certificate_serial: str
    not_before: datetime.datetime
    not_after: datetime.datetime
    status: str
    revoked_at: datetime.datetime | None
    revocation_reason: str

    @staticmethod
    def resolve_unit_code(obj: Seal) -> str:
        return obj.unit.code if obj.unit is not None else ""

    @staticmethod
    def resolve_unit_name(obj: Seal) -> str:
        return obj.unit.name if obj.unit is not None else ""

    @staticmethod
    def resolve_certificate_serial(obj: Seal) -> str:
        return obj.certificate.serial

    @staticmethod
    def resolve_not_before(obj: Seal) -> datetime.datetime:
        return obj.certificate.not_before

    @staticmethod
    def resolve_not_after(obj: Seal) -> datetime.datetime:
        return obj.certificate.not_after


def _too_many():
    return Status(429, {"detail": _("Too many verifications from your address: wait a minute.")})


@router.post(
    "/verify",
    response={200: VerificationOut, 400: ErrorOut, 413: ErrorOut, 429: ErrorOut},
    operation_id="trust_verify",
    auth=PUBLIC,
)
def verify(
    request,
    file: File[UploadedFile] = None,
    number: Form[str] = "",
    digest: Form[str] = "",
):
    """Verify an uploaded file (multipart ``file``: a sealed or licence PDF, a signed JSON
    file) or a licence or signature ``number`` (with a QR code's ``digest``), for anyone, as
    the page /trust/verify/ (issue 10, point 4: verification is public; a POST here because
    a file is uploaded, but nothing is written). 400 when
    neither is given, 413 for a file over 10 MB, 429 after 30 verifications a minute."""
    if throttled(request):
        return _too_many()
    if file is not None:
        if file.size > MAX_FILE_BYTES:
            return Status(413, {"detail": _("The file is larger than 10 MB.")})
        submission = Submission(data=file.read(MAX_FILE_BYTES + 1))
    elif number.strip():
        submission = Submission(number=number.strip()[:64], digest=digest.strip()[:64])
    else:
        return Status(400, {"detail": _("Upload a file or enter a number.")})
    return Status(200, outcome_data(verify_submission(submission)))


@router.get(
    "/signatures/{number}",
    response={200: VerificationOut, 404: ErrorOut, 429: ErrorOut},
    operation_id="trust_signature",
    auth=PUBLIC,
)
def signature(request, number: Key):
    """The validation report of the platform's signature with this number (without its
    document: the document check is not applicable)."""
    if throttled(request):
        return _too_many()
    number = number.strip().upper()
    outcome = (
        verify_signature_number(Submission(number=number))
        if SIGNATURE_NUMBER.match(number)
        else None
    )
    if outcome is None or not outcome.reports:
        return Status(404, {"detail": _("No signature of this platform has this number.")})
    return Status(200, outcome_data(outcome))


@router.get("/root", response=dict[str, Any], operation_id="trust_root", auth=PUBLIC)
def root(request):
    """The platform root certificate's signed JSON document (to trust)."""
    return services.root_certificate()


@router.get("/crl", response=dict[str, Any], operation_id="trust_crl", auth=PUBLIC)
def crl(request):
    """The latest revocation list's signed JSON document."""
    return services.revocation_list()


@router.get("/seals", response=list[SealOut], operation_id="trust_seals", auth=SIGNED_IN)
@api_requires("manage_seals")
@paginate(Pagination, page_size=50)
def seals(request):
    """Every seal with its unit, kind, certificate and status (``manage_seals``)."""
    return Seal.objects.select_related("unit", "certificate").defer(
        "image", "sealed_private_key", "certificate__text", "certificate__public_key"
    )
