"""/api/v1/trust/licences: issuance by another system (issue 10, point 2), and a licence's
record for its issuing unit. ``issue_licences`` for the type's unit (and the unit's sealing
right, ``use_seal``); a refused licence answers 422 naming the field, nothing is issued."""

import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from shuzheng.accounts.authorization import api_principal, api_requires, check_api_perm
from shuzheng.api_contract import ErrorOut, InputSchema, Key, Text
from shuzheng.trust import licence_services as services
from shuzheng.trust.licence_models import Licence, LicenceType
from shuzheng.trust.licence_pdf import verification_url
from shuzheng.trust.licences import short_digest

router = Router(tags=["trust"])


class LicenceIn(InputSchema):
    licence_type: Key
    holder_name: Text
    holder_kind: Key
    holder_code: Key
    face: dict[str, Text]
    issued_on: datetime.date | None = None


class LicenceOut(Schema):
    number: str
    licence_type: str
    holder_name: str
    holder_kind: str
    holder_code: str
    face: dict[str, str]
    issued_on: datetime.date
    valid_until: datetime.date | None
    status: str
    digest: str
    verification_url: str


def _out(licence: Licence) -> dict:
    return {
        "number": licence.number,
        "licence_type": licence.licence_type.code,
        "holder_name": licence.holder_name,
        "holder_kind": licence.holder_kind,
        "holder_code": licence.holder_masked,
        "face": licence.face,
        "issued_on": licence.issued_on,
        "valid_until": licence.valid_until,
        "status": licence.status_today,
        "digest": licence.digest,
        "verification_url": verification_url(licence.number, short_digest(licence.digest)),
    }


@router.post(
    "/licences", response={201: LicenceOut, 422: ErrorOut}, operation_id="trust_issue_licence"
)
@api_requires("issue_licences")
def issue_licence(request, payload: LicenceIn):
    """Issue and seal one licence of the type with that code (answer: the licence)."""
    licence_type = (
        LicenceType.objects.select_related("issuer", "seal").filter(code=payload.licence_type)
    ).first()
    if licence_type is None:
        return Status(422, {"detail": _("No licence type has this code.")})
    check_api_perm(request, "issue_licences", licence_type.issuer_id)
    draft = services.LicenceDraft(
        holder_name=payload.holder_name,
        holder_kind=payload.holder_kind,
        holder_code=payload.holder_code,
        face=payload.face,
        issued_on=payload.issued_on,
    )
    try:
        licence = services.issue_licence(licence_type, draft, by=api_principal(request))
    except services.LicenceError as error:
        return Status(422, {"detail": str(error)})
    return Status(201, _out(licence))


@router.get(
    "/licences/{number}", response={200: LicenceOut, 404: ErrorOut}, operation_id="trust_licence"
)
@api_requires("issue_licences")
def licence_detail(request, number: Key):
    """A licence's record, for its issuing unit (the public verifies at /trust/verify/)."""
    licence = get_object_or_404(
        Licence.objects.select_related("licence_type").defer("pdf"), number=number
    )
    check_api_perm(request, "issue_licences", licence.licence_type.issuer_id)
    return _out(licence)
