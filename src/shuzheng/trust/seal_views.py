"""The seal administration pages (issue 10, items 1 and 6), for ``manage_seals``: the seals
with their unit, kind, certificate and status; a new seal for a unit; a seal's certificate
and its usage log (every signature it made, each audited as ``trust.sign``); revocation with
the reason; and the platform's certification authority with its revocation list. Thin: a
form, a service of ``trust.services``, a template."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuzheng.accounts.authorization import require_perm
from shuzheng.lists import ObjectListView
from shuzheng.trust import services
from shuzheng.trust.models import RevocationList, Seal, Signature
from shuzheng.trust.seal_filtersets import SealFilterSet
from shuzheng.trust.seal_forms import RevokeForm, SealForm
from shuzheng.trust.seal_tables import SealTable

PERM = "manage_seals"
#: The latest uses a seal's page lists (the count says how many there are in all).
USAGE_SHOWN = 50


class SealListView(ObjectListView):
    template_name = "trust/seals/list.html"
    filterset_class = SealFilterSet
    table_class = SealTable

    def get_rows(self):
        return Seal.objects.select_related("unit", "certificate").defer(
            "image", "sealed_private_key", "certificate__text", "certificate__public_key"
        )


seal_list = require_perm(PERM)(SealListView.as_view())


@require_perm(PERM)
def seal_create(request):
    form = SealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            seal = services.create_seal(
                data["unit"], data["kind"], data["name"], by=request.user, image=data["image"]
            )
        except services.TrustError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The seal is created with its certificate."))
            return redirect("trust:seal_detail", pk=seal.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "trust/seals/form.html", {"form": form}, status=status)


def _seal(pk: int) -> Seal:
    return get_object_or_404(
        Seal.objects.select_related("unit", "certificate__issuer").defer("sealed_private_key"),
        pk=pk,
    )


def _detail(request, seal: Seal, revoke_form: RevokeForm, status: int = 200):
    uses = Signature.objects.filter(seal=seal).defer("signed_document")
    certificate = json.loads(seal.certificate.text)
    return render(
        request,
        "trust/seals/detail.html",
        {
            "seal": seal,
            "certificate": seal.certificate,
            "issuer_name": certificate["body"].get("issuer_name", ""),
            "uses": uses[:USAGE_SHOWN],
            "use_count": uses.count(),
            "revoke_form": revoke_form,
        },
        status=status,
    )


@require_perm(PERM)
def seal_detail(request, pk: int):
    return _detail(request, _seal(pk), RevokeForm())


@require_POST
@require_perm(PERM)
def seal_revoke(request, pk: int):
    seal = _seal(pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.revoke_seal(seal, form.cleaned_data["reason"], by=request.user)
        except services.TrustError as error:
            form.add_error("reason", error.message)
        else:
            messages.success(request, _("The seal is revoked and the revocation list published."))
            return redirect("trust:seal_detail", pk=seal.pk)
    return _detail(request, seal, form, status=400)


@require_perm(PERM)
def seal_image(request, pk: int):
    seal = get_object_or_404(Seal.objects.only("image"), pk=pk)
    response = HttpResponse(bytes(seal.image), content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_perm(PERM)
def authority(request):
    """The platform root and the latest revocation list, with their downloads."""
    root = services.ensure_platform_root()
    latest = RevocationList.objects.defer("text").order_by("-number").first()
    revoked = (
        Seal.objects.filter(status="revoked")
        .select_related("unit", "certificate")
        .defer("image", "sealed_private_key", "certificate__text", "certificate__public_key")
        .order_by("-revoked_at", "-id")
    )
    return render(
        request,
        "trust/seals/authority.html",
        {
            "authority": root,
            "root": root.certificate,
            "latest": latest,
            "list_count": RevocationList.objects.count(),
            "revoked": revoked,
        },
    )
