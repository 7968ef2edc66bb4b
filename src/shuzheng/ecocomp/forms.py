"""Input of the ecocomp pages: uploads, a what-if's changes, the override reason, a period."""

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD = 10 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (.xlsx or .csv)"))
    source = forms.CharField(label=_("Source of the data"), max_length=300, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class WhatIfForm(forms.Form):
    """Changed weights as ``weight:<component>:<factor>`` fields (built from the rule set),
    and one county's factor value."""

    county = forms.CharField(label=_("County"), required=False, max_length=12)
    factor = forms.CharField(label=_("Factor"), required=False, max_length=32)
    value = forms.DecimalField(label=_("New value"), required=False, min_value=0)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, components=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.weight_fields = []
        for entry in components:
            for factor, weight in (entry.get("weights") or {}).items():
                name = f"weight:{entry['key']}:{factor}"
                self.fields[name] = forms.DecimalField(
                    required=False, min_value=0, max_value=1, initial=weight
                )
                self.weight_fields.append((name, entry["key"], factor))

    def changes(self) -> tuple[dict, dict]:
        weights: dict[str, dict[str, str]] = {}
        for name, component, factor in self.weight_fields:
            value = self.cleaned_data.get(name)
            if value is not None:
                weights.setdefault(component, {})[factor] = str(value)
        factors = {}
        if self.cleaned_data.get("county") and self.cleaned_data.get("value") is not None:
            factors[self.cleaned_data["county"]] = {
                self.cleaned_data["factor"]: str(self.cleaned_data["value"])
            }
        return weights, factors


class FinaliseForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason for making it final with missing data"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SettleForm(forms.Form):
    period = forms.RegexField(
        label=_("Period (2024 or 2024-03)"),
        regex=r"^\d{4}(-(0[1-9]|1[0-2]))?$",
        error_messages={"invalid": _("The period must be a year (2024) or a month (2024-03).")},
    )
