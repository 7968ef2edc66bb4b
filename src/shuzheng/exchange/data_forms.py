"""Input of the consumer's and the provider's data pages; the services check the rules again
(``token_services``, ``table_services``)."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from shuzheng.catalog.models import DataResource
from shuzheng.exchange import table_services
from shuzheng.exchange.choices import TableSource

#: The largest OpenAPI description taken for a proxied service.
OPENAPI_LIMIT = 1024 * 1024


def end_of_day(day: dt.date) -> dt.datetime:
    """The last second of ``day`` in the platform's time zone (an expiry typed as a date)."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=ZoneInfo(settings.TIME_ZONE))


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Which system uses the token, so that you can tell tokens apart."),
    )
    resources = forms.ModelMultipleChoiceField(
        label=_("Data resources"),
        queryset=DataResource.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only resources your unit holds a grant in force for."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("At most one year from today; 90 days when left empty."),
    )

    def __init__(self, *args, resources=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resources"].queryset = (
            resources if resources is not None else DataResource.objects.none()
        )
        self.fields["resources"].label_from_instance = lambda r: f"{r.title}（{r.code}）"

    def expires_at(self) -> dt.datetime | None:
        day = self.cleaned_data.get("expires_on")
        return end_of_day(day) if day else None


class PublishForm(forms.Form):
    """How a resource's data comes into the exchange: its columns and primary key chosen
    from the resource's information items, and the source."""

    columns = forms.MultipleChoiceField(
        label=_("Columns published"), widget=forms.CheckboxSelectMultiple
    )
    primary_key = forms.MultipleChoiceField(
        label=_("Primary key"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The column or columns whose values name one row: each row's must differ."),
    )
    source = forms.ChoiceField(label=_("Source"), choices=TableSource.choices)
    upstream_url = forms.URLField(
        label=_("Upstream address"),
        required=False,
        max_length=1000,
        help_text=_("For a proxied service: the base address the data API forwards reads to."),
    )
    openapi = forms.FileField(
        label=_("OpenAPI description"),
        required=False,
        help_text=_("For a proxied service: its OpenAPI description (a JSON file)."),
    )

    def __init__(self, *args, resource: DataResource, **kwargs):
        super().__init__(*args, **kwargs)
        self.resource_columns = table_services.columns_of_resource(resource)
        choices = [(c.name, f"{c.title}（{c.name}）") for c in self.resource_columns]
        self.fields["columns"].choices = choices
        self.fields["columns"].initial = [c.name for c in self.resource_columns]
        self.fields["primary_key"].choices = choices

    def clean_openapi(self) -> dict:
        upload = self.cleaned_data.get("openapi")
        if not upload:
            return {}
        if upload.size > OPENAPI_LIMIT:
            raise forms.ValidationError(_("The OpenAPI description is larger than 1 MB."))
        try:
            data = json.loads(upload.read().decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise forms.ValidationError(_("The OpenAPI description is not a JSON file.")) from exc
        if not isinstance(data, dict) or not ({"openapi", "swagger"} & set(data)):
            raise forms.ValidationError(
                _("The file is not an OpenAPI description: it names no OpenAPI version.")
            )
        return data

    def clean(self):
        data = super().clean()
        if data.get("source") == TableSource.PROXY and not data.get("upstream_url"):
            self.add_error("upstream_url", _("A proxied service needs its upstream address."))
        return data

    def chosen_columns(self):
        chosen = set(self.cleaned_data["columns"])
        return [column for column in self.resource_columns if column.name in chosen]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file or Excel workbook"),
        help_text=_(
            "The first row names the columns (by column name or item name); a CSV file may "
            "be in UTF-8 or GB18030."
        ),
    )
    all_or_nothing = forms.BooleanField(
        label=_("Refuse the whole file if any row is wrong"), required=False, initial=True
    )
