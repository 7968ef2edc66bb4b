"""Sealed documents (issue 10, point 3): a PDF the platform issues, sealed by its unit.

The apps that issue documents (the ledger's 督办单 and 情况通报, the assessment report, the
ecological compensation's allocation and settlement statements) sit above the trust app
(the import contract's layers), so they call :func:`seal_pdf` directly with a function that
renders their PDF given the seal's picture: the visible seal stands over the issuing unit's
name and the date (``shuzheng.pdf.PdfDocument.closing``), and the signature covers the
rendered bytes, carried in the PDF's incremental update (``trust.sealed_pdf``). Signing goes
through ``services.sign``: only a holder of ``use_seal`` for the unit, audited as
``trust.sign`` with the document's kind and reference.

:func:`sealed_download` is the view side every app shares: the "盖章下载" form posts the
unit to seal for; the answer is the sealed PDF, a 403 without the unit's sealing right, or
back to the page with the reason when the unit has no seal in use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from shuzheng.accounts.authorization import ensure_perm, has_perm, role_of
from shuzheng.accounts.permissions import role_has
from shuzheng.orgs.models import Unit
from shuzheng.trust import sealed_pdf, services
from shuzheng.trust.choices import SealKind, SealStatus
from shuzheng.trust.models import Seal

PERM = "use_seal"


def unit_seal(unit) -> Seal | None:
    """The seal a unit's documents are sealed with: its official seal (公章) in use, else the
    oldest business seal in use."""
    first_official = Case(When(kind=SealKind.OFFICIAL, then=Value(0)), default=Value(1))
    return (
        Seal.objects.filter(unit=unit, status=SealStatus.ACTIVE)
        .select_related("certificate", "unit")
        .annotate(rank=first_official)
        .order_by("rank", "created_at", "pk")
        .first()
    )


def sealing_units(user, among: Iterable | None = None) -> list:
    """The units with a seal in use whose sealing right ``user`` holds (``among`` them only,
    when given: a document that belongs to a unit is sealed by that unit alone). No query for
    a role that holds no sealing right."""
    if not role_has(role_of(user), PERM):
        return []
    units = Unit.objects.filter(seals__status=SealStatus.ACTIVE).distinct().order_by("name")
    if among is not None:
        units = units.filter(pk__in=[getattr(unit, "pk", unit) for unit in among])
    return [unit for unit in units if has_perm(user, PERM, unit)]


def seal_pdf(
    unit,
    render: Callable[[bytes], bytes],
    *,
    by,
    subject_kind: str,
    subject_ref: str,
) -> bytes:
    """The PDF ``render(seal_png)`` gives, signed by ``unit``'s seal with the signature carried
    inside it. PermissionDenied without ``use_seal`` for the unit; ``services.TrustError``
    when the unit has no seal in use."""
    if by is not None:
        ensure_perm(by, PERM, unit)
    seal = unit_seal(unit)
    if seal is None:
        raise services.TrustError(_("This unit has no seal in use."), "unit")
    document = render(bytes(seal.image))
    signature = services.sign(
        seal, document, by=by, subject_kind=subject_kind, subject_ref=subject_ref
    )
    return sealed_pdf.attach_signature(document, services.envelope(signature))


def sealed_download(
    request,
    *,
    units: Iterable | None,
    render: Callable[[Unit, bytes], bytes],
    subject_kind: str,
    subject_ref: str,
    filename: str,
    back: str,
) -> HttpResponse:
    """The answer to a "盖章下载" form: ``request.POST["unit"]`` (a unit's id) among ``units``
    (None: any unit), the document rendered by ``render(unit, seal_png)`` and sealed."""
    if not role_has(role_of(request.user), PERM):
        raise PermissionDenied("sealing needs a unit's sealing right")
    unit = _posted_unit(request, units)
    if unit is None:
        messages.error(request, _("Choose a unit whose seal you may use for this document."))
        return redirect(back)
    try:
        content = seal_pdf(
            unit,
            lambda seal_png: render(unit, seal_png),
            by=request.user,
            subject_kind=subject_kind,
            subject_ref=subject_ref,
        )
    except services.TrustError as error:
        messages.error(request, error.message)
        return redirect(back)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _posted_unit(request, units: Iterable | None):
    try:
        pk = int(request.POST.get("unit", ""))
    except ValueError:
        return None
    allowed = None if units is None else {getattr(unit, "pk", unit) for unit in units}
    if allowed is not None and pk not in allowed:
        return None
    return Unit.objects.filter(pk=pk).first()
