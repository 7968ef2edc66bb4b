"""Forms of the catalog's pages: a resource with its information items (信息项, an inline
formset), a distribution, a reason for a workflow step, a quality check. They check what a
field alone can check; the catalog's rules (codes, 就高从严, grade reasons) are the
services' (``catalog.services.validate``), whose errors the views put back on these fields."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from shuzheng.catalog import services, workbook
from shuzheng.catalog.choices import (
    CheckKind,
    DataType,
    DistributionKind,
    Grade,
    OpenType,
    ShareType,
    UpdateFrequency,
)
from shuzheng.catalog.imports import describe
from shuzheng.catalog.models import DataResource, ResourceCategory
from shuzheng.catalog.quality_services import CheckInput
from shuzheng.orgs.models import Unit

#: Keywords and related codes are written one after another, separated by commas (either
#: width), the enumeration comma or spaces.
_SEPARATORS = re.compile(r"[,，、;；\s]+")
MAX_UPLOAD_BYTES = 100 * 1024 * 1024


def split_list(text: str) -> list[str]:
    return [part for part in _SEPARATORS.split(text or "") if part]


class ResourceForm(forms.Form):
    """The guide's fields of a catalog entry (《政务信息资源目录编制指南（试行）》)."""

    title = forms.CharField(label=_("Resource name"), max_length=200)
    category = forms.ModelChoiceField(
        label=_("Resource category"),
        queryset=ResourceCategory.objects.all(),
        to_field_name="code",
        empty_label=None,
    )
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=Unit.objects.none(), to_field_name="code", empty_label=None
    )
    code = forms.CharField(
        label=_("Resource code"),
        max_length=40,
        required=False,
        help_text=_("Leave empty to have the next code under the category generated."),
    )
    name = forms.CharField(
        label=_("Address name"),
        max_length=100,
        required=False,
        help_text=_("Lower-case letters, digits, - and _: the dataset's address."),
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))
    resource_format = forms.CharField(label=_("Resource format"), max_length=64, required=False)
    keywords = forms.CharField(
        label=_("Keywords"),
        max_length=500,
        required=False,
        help_text=_("Separated by commas or spaces."),
    )
    domain = forms.CharField(label=_("Domain"), max_length=64, required=False)
    license_id = forms.CharField(label=_("License"), max_length=64, required=False)
    share_type = forms.ChoiceField(label=_("Share type"), choices=ShareType.choices)
    share_condition = forms.CharField(
        label=_("Share condition"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    share_method = forms.CharField(label=_("Share method"), max_length=200, required=False)
    open_type = forms.ChoiceField(label=_("Open type"), choices=OpenType.choices)
    open_condition = forms.CharField(
        label=_("Open condition"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    update_frequency = forms.ChoiceField(
        label=_("Update frequency"), choices=UpdateFrequency.choices
    )
    published_on = forms.DateField(
        label=_("Release date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    related_codes = forms.CharField(
        label=_("Related resource codes"),
        max_length=1000,
        required=False,
        help_text=_("Separated by commas or spaces."),
    )
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = units

    @classmethod
    def initial_of(cls, resource: DataResource) -> dict:
        """The form's initial values for editing ``resource``."""
        initial = {name: getattr(resource, name) for name in services.SCALAR_FIELDS}
        initial["keywords"] = "，".join(resource.keywords)
        initial["related_codes"] = " ".join(resource.related_codes)
        initial["category"] = resource.category.code
        initial["provider"] = resource.provider.code
        initial["published_on"] = resource.published_on
        return initial

    def to_input(self, fields: list[services.FieldInput]) -> services.ResourceInput:
        data = dict(self.cleaned_data)
        data["keywords"] = split_list(data["keywords"])
        data["related_codes"] = split_list(data["related_codes"])
        data.pop("grade_reason", None)
        return services.ResourceInput(**data, fields=fields)


class ResourceEditForm(ResourceForm):
    """Editing adds the reason every grade change needs (``grade_reason``)."""

    grade_reason = forms.CharField(
        label=_("Reason for a change of grade"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the resource's or an item's grade changes."),
    )


class DataFieldForm(forms.Form):
    """One information item (信息项)."""

    name = forms.CharField(label=_("Item name"), max_length=128)
    column = forms.CharField(label=_("Column name"), max_length=128, required=False)
    # Initial values, so that an extra row left as it was has not changed (is no item).
    data_type = forms.ChoiceField(
        label=_("Data type"), choices=DataType.choices, initial=DataType.STRING
    )
    description = forms.CharField(label=_("Description"), max_length=1000, required=False)
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices, initial=Grade.GENERAL)
    is_authoritative = forms.BooleanField(label=_("Authoritative source"), required=False)

    def to_input(self) -> services.FieldInput:
        data = {name: self.cleaned_data[name] for name in DataFieldForm.base_fields}
        return services.FieldInput(**data)


class BaseDataFieldFormSet(forms.BaseFormSet):
    def items(self) -> list[services.FieldInput]:
        """The items: every existing row and every filled extra row, less those marked for
        removal (an extra row left as it was is no item)."""
        initial = self.initial_form_count()
        return [
            form.to_input()
            for index, form in enumerate(self.forms)
            if (index < initial or form.has_changed()) and not self._should_delete_form(form)
        ]


DataFieldFormSet = forms.formset_factory(
    DataFieldForm, formset=BaseDataFieldFormSet, extra=3, can_delete=True, max_num=500
)


def field_initial(resource: DataResource) -> list[dict]:
    return [
        {
            "name": item.name,
            "column": item.column,
            "data_type": item.data_type,
            "description": item.description,
            "grade": item.grade,
            "is_authoritative": item.is_authoritative,
        }
        for item in resource.fields.all()
    ]


class ReasonForm(forms.Form):
    """The reason a return, a withdrawal or a grade change needs."""

    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DistributionForm(forms.Form):
    """A distribution: an uploaded file or a link (database tables come from the import)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (DistributionKind.FILE, DistributionKind.FILE.label),
            (
                DistributionKind.LINK,
                DistributionKind.LINK.label,
            ),
        ],
    )
    file = forms.FileField(label=_("File"), required=False)
    url = forms.URLField(label=_("Address"), max_length=1000, required=False, assume_scheme="https")
    format = forms.CharField(
        label=_("Format"), max_length=32, required=False, help_text=_("e.g. CSV, XLSX, JSON")
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 100 MB."))
        return upload

    def to_input(self) -> services.DistributionInput:
        data = self.cleaned_data
        upload = data["file"] if data["kind"] == DistributionKind.FILE else None
        fmt = data["format"] or (
            upload.name.rsplit(".", 1)[-1] if upload and "." in upload.name else ""
        )
        return services.DistributionInput(
            title=data["title"],
            kind=data["kind"],
            format=fmt,
            description=data["description"],
            url=data["url"] if data["kind"] == DistributionKind.LINK else "",
            media_type=getattr(upload, "content_type", "") or "",
            upload=upload,
        )


class QualityCheckForm(forms.Form):
    """A declared quality check (``catalog.quality``'s kinds and their parameters)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=CheckKind.choices)
    column = forms.CharField(label=_("Column name"), max_length=128, required=False)
    pattern = forms.CharField(
        label=_("Pattern (regular expression)"), max_length=500, required=False
    )
    minimum = forms.DecimalField(label=_("Minimum"), required=False)
    maximum = forms.DecimalField(label=_("Maximum"), required=False)
    reference = forms.CharField(
        label=_("Referenced or authoritative resource code"), max_length=40, required=False
    )
    reference_column = forms.CharField(
        label=_("Referenced column or key column"), max_length=128, required=False
    )
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, initial=1)
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)

    def __init__(self, *args, resource: DataResource, **kwargs):
        super().__init__(*args, **kwargs)
        # The resource's columns are offered (a datalist), any column name is accepted.
        self.columns = [item.column or item.name for item in resource.fields.all()]
        self.fields["column"].widget.attrs["list"] = "quality-columns"

    @classmethod
    def initial_of(cls, data) -> dict:
        """A kept check (``quality_services.input_of``) as the form's initial values."""
        return {
            "kind": data.kind,
            "column": data.column,
            "pattern": data.pattern,
            "minimum": data.minimum,
            "maximum": data.maximum,
            "reference": data.reference,
            "reference_column": data.reference_column,
            "weight": data.weight,
            "enabled": data.enabled,
        }

    def to_input(self) -> CheckInput:
        data = self.cleaned_data
        return CheckInput(
            kind=data["kind"],
            column=data["column"],
            pattern=data["pattern"],
            minimum=data["minimum"],
            maximum=data["maximum"],
            reference=data["reference"],
            reference_column=data["reference_column"],
            weight=data["weight"],
            enabled=data["enabled"],
        )


class ImportForm(forms.Form):
    """A catalog workbook to import (.xlsx or CSV) and how: all or nothing, or the valid
    rows. ``units`` are the providers the visitor imports for; the catalog office may also
    leave it to the rows (every unit)."""

    file = forms.FileField(
        label=_("Catalog workbook"),
        help_text=_(
            "An Excel workbook (.xlsx) or a CSV file (UTF-8 or GB18030) in the layout of the template."
        ),
    )
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=Unit.objects.none(), to_field_name="code", required=False
    )
    mode = forms.ChoiceField(
        label=_("When some rows are invalid"),
        choices=[
            ("valid", _("Import the valid rows and report the invalid ones")),
            ("all", _("Import nothing (all or nothing)")),
        ],
        initial="valid",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, units, any_unit: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["provider"]
        field.queryset = units
        self.any_unit = any_unit
        if any_unit:
            field.empty_label = _("The units the rows name")
        else:
            field.empty_label = None

    def clean_provider(self):
        """A provider's staff import for their unit, chosen when there is one only."""
        provider = self.cleaned_data["provider"]
        if provider is None and not self.any_unit:
            units = list(self.fields["provider"].queryset[:2])
            if len(units) != 1:
                raise forms.ValidationError(_("Choose the provider unit."))
            provider = units[0]
        return provider

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.CATALOG_IMPORT_MAX_MB
        try:
            workbook.check_size(upload.size, limit)
            workbook.detect_kind(upload.name or "", upload.read(8))
        except workbook.WorkbookError as exc:
            raise forms.ValidationError([describe(problem) for problem in exc.problems]) from exc
        finally:
            upload.seek(0)
        return upload
