"""Input of the requests part's pages; the services check the rules again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shuzheng.catalog.models import DataResource
from shuzheng.orgs.forms import UnitField

TEXT = {"rows": 3}


def split_values(text: str) -> list[str]:
    """Values typed one per line or separated by commas (half or full width) or 、."""
    for mark in ("，", "、", "\n", ";", "；"):
        text = text.replace(mark, ",")
    return [value.strip() for value in text.split(",") if value.strip()]


class ResourceChoiceForm(forms.Form):
    resource = forms.ModelChoiceField(
        label=_("Catalog resource"),
        queryset=DataResource.objects.filter(state="published").select_related("provider"),
        required=False,
        empty_label=_("Not in the catalog: describe the data"),
    )


class RequestForm(forms.Form):
    demand = forms.CharField(
        label=_("Data wanted"), widget=forms.Textarea(attrs=TEXT), required=False
    )
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs=TEXT))
    legal_basis = forms.CharField(label=_("Legal basis"), widget=forms.Textarea(attrs=TEXT))
    columns = forms.MultipleChoiceField(
        label=_("Fields"), widget=forms.CheckboxSelectMultiple, required=False
    )
    filter_column = forms.ChoiceField(label=_("Only rows whose field"), required=False)
    filter_values = forms.CharField(
        label=_("equals one of"),
        required=False,
        help_text=_("One value, or several separated by commas."),
    )
    scope_note = forms.CharField(label=_("Scope in words"), required=False)
    needed_until = forms.DateField(
        label=_("Needed until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, resource: DataResource | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.resource = resource
        if resource is None:
            del self.fields["columns"], self.fields["filter_column"], self.fields["filter_values"]
            self.fields["demand"].required = True
            return
        del self.fields["demand"]
        choices = [(f.column, f"{f.name}（{f.column}）") for f in resource.fields.all() if f.column]
        self.fields["columns"].choices = choices
        self.fields["filter_column"].choices = [("", _("All rows")), *choices]

    def row_filters(self) -> list[dict]:
        column = self.cleaned_data.get("filter_column")
        values = split_values(self.cleaned_data.get("filter_values") or "")
        if not column or not values:
            return []
        if len(values) == 1:
            return [{"column": column, "op": "eq", "value": values[0]}]
        return [{"column": column, "op": "in", "value": values}]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs=TEXT))


class ApproveForm(ReasonForm):
    columns = forms.MultipleChoiceField(
        label=_("Fields granted"), widget=forms.CheckboxSelectMultiple, required=False
    )
    expires_on = forms.DateField(
        label=_("Grant expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    resource = forms.ModelChoiceField(
        label=_("Catalog resource"), queryset=DataResource.objects.none(), required=False
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        resource = request.resource if request else None
        if resource is None and request is not None:
            self.fields["resource"].queryset = DataResource.objects.filter(
                provider_id=request.provider_id, state="published"
            )
            self.fields["columns"].widget = forms.MultipleHiddenInput()
        else:
            del self.fields["resource"]
        if resource is not None:
            self.fields["columns"].choices = [
                (f.column, f"{f.name}（{f.column}）") for f in resource.fields.all() if f.column
            ]
            self.fields["columns"].initial = request.columns


class RouteForm(forms.Form):
    provider = UnitField(label=_("Provider unit"))
    resource = forms.ModelChoiceField(
        label=_("Catalog resource"),
        queryset=DataResource.objects.filter(state="published"),
        required=False,
        empty_label=_("None yet: the provider chooses"),
    )
    reason = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs=TEXT))


class ObjectionForm(forms.Form):
    resource = forms.ModelChoiceField(
        label=_("Data resource"), queryset=DataResource.objects.none()
    )
    record_key = forms.CharField(label=_("Record (primary-key value)"), max_length=400)
    description = forms.CharField(label=_("What is wrong"), widget=forms.Textarea(attrs=TEXT))
    evidence = forms.FileField(label=_("Evidence"), required=False)

    def __init__(self, *args, resources=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = (
            resources if resources is not None else DataResource.objects.none()
        )


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Answer"),
        widget=forms.RadioSelect,
        choices=[
            ("confirm", _("Confirm: the record was corrected")),
            ("reject", _("Reject the objection")),
        ],
    )
    answer = forms.CharField(
        label=_("What was corrected, or why not"), widget=forms.Textarea(attrs=TEXT)
    )
