"""Input of the licence pages: a licence type, one licence, a bulk workbook, a status change.
The forms read and shape input; the rules are checked by ``trust.licence_services``."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from shuzheng.trust import licences
from shuzheng.trust.choices import SealStatus
from shuzheng.trust.licence_models import HolderKind, LicenceStatus, LicenceType, ValidityKind
from shuzheng.trust.models import Seal

REQUIRED_WORDS = {"必填": True, "是": True, "yes": True, "required": True}
OPTIONAL_WORDS = {"选填": False, "否": False, "no": False, "optional": False}
BULK_MAX_BYTES = 20 * 1024 * 1024


def fields_as_text(face_fields: list[dict]) -> str:
    """A type's face fields as the form's text area shows them, one a line."""
    return "\n".join(
        "，".join([f["name"], f["label"], f["kind"], "必填" if f.get("required", True) else "选填"])
        for f in face_fields
    )


def fields_from_text(text: str) -> list[dict]:
    """One field a line: name, label, kind (text, date, integer, decimal; text when left
    out), 必填 or 选填 (必填 when left out); commas Chinese or Latin. Shape only: the rules
    (names, kinds, repeats) are ``trust.licences.parse_face_fields``'s."""
    fields = []
    for line in text.splitlines():
        parts = [part.strip() for part in re.split(r"[,，]", line)]
        if not any(parts):
            continue
        name, label = parts[0], parts[1] if len(parts) > 1 else ""
        kind = parts[2] if len(parts) > 2 and parts[2] else licences.TEXT
        word = parts[3].lower() if len(parts) > 3 and parts[3] else "必填"
        required = REQUIRED_WORDS.get(word, OPTIONAL_WORDS.get(word, True))
        fields.append({"name": name, "label": label, "kind": kind, "required": required})
    return fields


class LicenceTypeForm(forms.Form):
    code = forms.CharField(
        label=_("Type code"),
        max_length=12,
        help_text=_("2 to 12 capital letters and digits; the start of every licence number."),
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    seal = forms.ModelChoiceField(label=_("Seal"), queryset=Seal.objects.none())
    face_fields = forms.CharField(
        label=_("Face fields"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One field a line: name, label, kind (text, date, integer or decimal), 必填 or 选填. "
            "For example: business_name，经营者名称，text，必填"
        ),
    )
    validity_kind = forms.ChoiceField(label=_("Validity"), choices=ValidityKind.choices)
    validity_years = forms.IntegerField(
        label=_("Years of validity"),
        min_value=0,
        max_value=licences.VALIDITY_YEARS_MAX,
        required=False,
    )

    def __init__(self, *args, seals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seal"].queryset = seals
        self.fields["seal"].label_from_instance = lambda seal: f"{seal.unit.name} · {seal.name}"


def seals_for(user):
    """The seals in use a user may give a licence type: their unit's (every unit's for an
    administrator)."""
    seals = Seal.objects.filter(status=SealStatus.ACTIVE, unit__isnull=False).select_related("unit")
    if getattr(user, "role", "") != "administrator":
        seals = seals.filter(unit_id=user.unit_id)
    return seals.order_by("unit__name", "name")


class LicenceForm(forms.Form):
    """One licence: the holder, then one field per face field of the type."""

    holder_name = forms.CharField(label=_("Holder"), max_length=200)
    holder_kind = forms.ChoiceField(label=_("Holder code type"), choices=HolderKind.choices)
    holder_code = forms.CharField(label=_("Holder code"), max_length=30)
    issued_on = forms.DateField(
        label=_("Issued on"),
        required=False,
        help_text=_("Today when left empty."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, licence_type: LicenceType, **kwargs):
        super().__init__(*args, **kwargs)
        for face_field in licence_type.fields:
            widget = (
                forms.DateInput(attrs={"type": "date"})
                if face_field.kind == licences.DATE
                else forms.TextInput()
            )
            self.fields[f"face_{face_field.name}"] = forms.CharField(
                label=face_field.label,
                required=False,  # the service names a missing required value
                max_length=licences.TEXT_MAX,
                widget=widget,
            )
        self.face_names = [f.name for f in licence_type.fields]

    def face_values(self) -> dict:
        return {name: self.cleaned_data.get(f"face_{name}", "") for name in self.face_names}

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for name, messages in errors.items():
            target = name if name in self.fields else f"face_{name}"
            for message in messages:
                self.add_error(target if target in self.fields else None, message)


class BulkForm(forms.Form):
    workbook = forms.FileField(
        label=_("Excel workbook"),
        help_text=_("The type's template filled in, one licence a row (.xlsx, up to 20 MB)."),
    )

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        if upload.size > BULK_MAX_BYTES:
            raise forms.ValidationError(_("The workbook is larger than 20 MB."))
        return upload


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=LicenceStatus.choices)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
