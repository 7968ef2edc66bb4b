"""The licence pages (issue 10, points 2 and 6): issuing units define their licence types and
issue licences one by one or from Excel, suspend and revoke them; holders see "my licences",
download the PDF and share its verification link. Thin: a form, a service, a template."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuzheng.accounts.authorization import has_perm, require_perm
from shuzheng.lists import ObjectListView
from shuzheng.trust import licence_services as services
from shuzheng.trust.licence_filtersets import LicenceFilterSet
from shuzheng.trust.licence_forms import (
    BulkForm,
    LicenceForm,
    LicenceTypeForm,
    StatusForm,
    fields_as_text,
    fields_from_text,
    seals_for,
)
from shuzheng.trust.licence_messages import code_message
from shuzheng.trust.licence_models import Licence, LicenceType
from shuzheng.trust.licence_pdf import verification_url
from shuzheng.trust.licence_tables import LicenceTable, LicenceTypeTable, MyLicenceTable
from shuzheng.trust.licence_workbook import read_licence_rows, template_workbook
from shuzheng.trust.licences import short_digest

PERM = "issue_licences"


def _types_for(user):
    types = LicenceType.objects.select_related("issuer", "seal")
    if getattr(user, "role", "") != "administrator":
        types = types.filter(issuer_id=user.unit_id)
    return types


def _type_for(request, pk: int) -> LicenceType:
    licence_type = get_object_or_404(LicenceType.objects.select_related("issuer", "seal"), pk=pk)
    if not has_perm(request.user, PERM, licence_type.issuer_id):
        raise PermissionDenied
    return licence_type


def _licence_for_issuer(request, number: str) -> Licence:
    licence = get_object_or_404(
        Licence.objects.select_related("licence_type__issuer").defer("pdf"), number=number
    )
    if not has_perm(request.user, PERM, licence.licence_type.issuer_id):
        raise PermissionDenied
    return licence


class LicenceTypeListView(ObjectListView):
    template_name = "trust/licences/types.html"
    table_class = LicenceTypeTable

    def get_rows(self):
        return _types_for(self.request.user)


types = require_perm(PERM)(LicenceTypeListView.as_view())


@require_perm(PERM)
def type_create(request):
    return _type_form(request, None)


@require_perm(PERM)
def type_edit(request, pk: int):
    return _type_form(request, _type_for(request, pk))


def _type_form(request, instance: LicenceType | None):
    seals = seals_for(request.user)
    initial = {}
    if instance is not None:
        initial = {
            "code": instance.code,
            "name": instance.name,
            "seal": instance.seal_id,
            "face_fields": fields_as_text(instance.face_fields),
            "validity_kind": instance.validity_kind,
            "validity_years": instance.validity_years or None,
        }
    form = LicenceTypeForm(request.POST or None, initial=initial, seals=seals)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        seal = data["seal"]
        try:
            saved = services.save_licence_type(
                by=request.user,
                unit=instance.issuer if instance is not None else seal.unit,
                code=data["code"],
                name=data["name"],
                seal=seal,
                face_fields=fields_from_text(data["face_fields"]),
                validity_kind=data["validity_kind"],
                validity_years=data["validity_years"] or 0,
                instance=instance,
            )
        except services.LicenceError as error:
            for name, texts in error.errors.items():
                for text in texts:
                    form.add_error(name if name in form.fields else None, text)
        else:
            messages.success(request, _("The licence type is saved."))
            return redirect("licences:type_detail", pk=saved.pk)
    return render(
        request, "trust/licences/type_form.html", {"form": form, "licence_type": instance}
    )


@require_perm(PERM)
def type_detail(request, pk: int):
    licence_type = _type_for(request, pk)
    return render(
        request,
        "trust/licences/type_detail.html",
        {
            "licence_type": licence_type,
            "fields": licence_type.fields,
            "issued": licence_type.licences.count(),
            "bulk_form": BulkForm(),
        },
    )


@require_perm(PERM)
def issue(request, pk: int):
    licence_type = _type_for(request, pk)
    form = LicenceForm(request.POST or None, licence_type=licence_type)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draft = services.LicenceDraft(
            holder_name=data["holder_name"],
            holder_kind=data["holder_kind"],
            holder_code=data["holder_code"],
            face=form.face_values(),
            issued_on=data["issued_on"],
        )
        try:
            licence = services.issue_licence(licence_type, draft, by=request.user)
        except services.LicenceError as error:
            form.add_service_errors(error.errors)
        else:
            messages.success(
                request, _("Licence %(number)s is issued.") % {"number": licence.number}
            )
            return redirect("licences:detail", number=licence.number)
    return render(
        request, "trust/licences/issue.html", {"form": form, "licence_type": licence_type}
    )


@require_perm(PERM)
def bulk(request, pk: int):
    licence_type = _type_for(request, pk)
    form = BulkForm(request.POST or None, request.FILES or None)
    problems: list[dict] = []
    if request.method == "POST" and form.is_valid():
        rows, errors = read_licence_rows(form.cleaned_data["workbook"].read(), licence_type.fields)
        problems = [
            {
                "row": error.row or "",
                "column": error.column,
                "header": error.header,
                "message": code_message(error.code, error.params),
            }
            for error in errors
        ]
        if not problems:
            drafts = [
                services.LicenceDraft(
                    holder_name=row.holder_name,
                    holder_kind=row.holder_kind,
                    holder_code=row.holder_code,
                    face=row.face,
                    issued_on=row.issued_on,
                    row=row.row,
                )
                for row in rows
            ]
            try:
                issued = services.issue_licences(licence_type, drafts, by=request.user)
            except services.BatchError as error:
                problems = [
                    {"row": row, "column": "", "header": "", "message": text}
                    for row, refusal in error.rows.items()
                    for texts in refusal.errors.values()
                    for text in texts
                ]
            except services.LicenceError as error:
                problems = [{"row": "", "column": "", "header": "", "message": str(error)}]
            else:
                messages.success(
                    request, _("%(count)d licences are issued.") % {"count": len(issued)}
                )
                return redirect(reverse("licences:list") + f"?licence_type={licence_type.pk}")
    return render(
        request,
        "trust/licences/bulk.html",
        {"form": form, "licence_type": licence_type, "problems": problems},
        status=400 if problems else 200,
    )


@require_perm(PERM)
def template(request, pk: int):
    licence_type = _type_for(request, pk)
    content = template_workbook(
        _("%(name)s: bulk issuance") % {"name": licence_type.name}, licence_type.fields
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{licence_type.code}.xlsx"'
    return response


class LicenceListView(ObjectListView):
    template_name = "trust/licences/list.html"
    filterset_class = LicenceFilterSet
    table_class = LicenceTable

    def get_rows(self):
        rows = Licence.objects.select_related("licence_type__issuer").defer("pdf", "record", "face")
        if getattr(self.request.user, "role", "") != "administrator":
            rows = rows.filter(licence_type__issuer_id=self.request.user.unit_id)
        return rows


licence_list = require_perm(PERM)(LicenceListView.as_view())


@require_perm(PERM)
def detail(request, number: str):
    licence = _licence_for_issuer(request, number)
    return render(
        request,
        "trust/licences/detail.html",
        {
            "licence": licence,
            "face": _face_rows(licence),
            "status_form": StatusForm(),
            "share_url": _share_url(licence),
        },
    )


@require_POST
@require_perm(PERM)
def change_status(request, number: str):
    licence = _licence_for_issuer(request, number)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.change_status(
                licence, form.cleaned_data["status"], form.cleaned_data["reason"], by=request.user
            )
        except services.LicenceError as error:
            for texts in error.errors.values():
                for text in texts:
                    form.add_error(None, text)
        else:
            messages.success(request, _("The licence's status is changed."))
            return redirect("licences:detail", number=licence.number)
    return render(
        request,
        "trust/licences/detail.html",
        {
            "licence": licence,
            "face": _face_rows(licence),
            "status_form": form,
            "share_url": _share_url(licence),
        },
        status=400,
    )


@require_perm("view_own_account")
def pdf(request, number: str):
    """The sealed PDF, for the issuing unit and for the holder."""
    licence = get_object_or_404(Licence.objects.select_related("licence_type"), number=number)
    own = services.licences_of(request.user).filter(pk=licence.pk).exists()
    if not own and not has_perm(request.user, PERM, licence.licence_type.issuer_id):
        raise PermissionDenied
    response = HttpResponse(bytes(licence.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{licence.number}.pdf"'
    return response


class MyLicenceListView(ObjectListView):
    template_name = "trust/licences/mine.html"
    table_class = MyLicenceTable

    def get_rows(self):
        return services.licences_of(self.request.user).defer("pdf", "record")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["identities"] = self.request.user.holder_identities.all()
        for licence in context["table"].rows:
            licence.share_url = _share_url(licence)
        return context


mine = require_perm("view_own_account")(MyLicenceListView.as_view())


def _face_rows(licence: Licence) -> list[tuple[str, str]]:
    labels = {f.name: f.label for f in licence.licence_type.fields}
    return [(labels.get(name, name), value) for name, value in licence.face.items()]


def _share_url(licence: Licence) -> str:
    return verification_url(licence.number, short_digest(licence.digest))
