"""The base of every list's FilterSet (django-filter), shared by the page, the API and the CLI.

NetBox style (issue 8, item 2): each app declares one FilterSet per list in its own
``filtersets.py``; the page renders its form and the API validates the query string with the
same FilterSet, so a filter is declared, validated and translated once.

Bad input never filters by a guess and never answers 500: on a page, a field that fails
validation filters nothing and its error is shown beside it, and a form-wide error (a date
range that ends before it starts) filters nothing at all; the API answers 422 with the same
translated messages (:func:`filter_or_422`).
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

import django_filters
from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from ninja.errors import HttpError
from pydantic import WithJsonSchema, create_model

from shuzheng import bounds


class YesNoField(forms.NullBooleanField):
    """A yes/no query parameter as links and API callers write it (``1``/``0``,
    ``true``/``false``, ``on``/``off``); absent means "either", anything else is an error."""

    widget = forms.TextInput
    TRUE = frozenset({"1", "true", "on", "yes"})
    FALSE = frozenset({"0", "false", "off", "no"})

    def to_python(self, value):
        if isinstance(value, bool):
            return value
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(_("Write 1 or true for yes, 0 or false for no."))


class BooleanFilter(django_filters.BooleanFilter):
    field_class = YesNoField


class IntegerFilter(django_filters.NumberFilter):
    """A whole number between ``min_value`` and ``max_value``, both required: a number
    beyond what the database holds would fail the query (500) instead of the form
    (issue 9, point 6). django-filter's NumberFilter reads decimals."""

    field_class = forms.IntegerField

    def __init__(self, *args, min_value: int, max_value: int, **kwargs):
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)

    def get_max_validator(self):
        return None  # max_value bounds it (the IntegerField's own validator)


class YearFilter(IntegerFilter):
    """A year (:data:`~shuzheng.bounds.YEAR_MIN` to :data:`~shuzheng.bounds.YEAR_MAX`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=bounds.YEAR_MIN, max_value=bounds.YEAR_MAX, **kwargs)


class IdFilter(IntegerFilter):
    """A primary key (1 to :data:`~shuzheng.bounds.ID_MAX`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=bounds.ID_MAX, **kwargs)


class FilterSet(django_filters.FilterSet):
    """A FilterSet whose form-wide errors filter nothing (field errors drop that field)."""

    def filter_queryset(self, queryset):
        if self.form.non_field_errors():
            return queryset
        return super().filter_queryset(queryset)

    def value(self, name: str):
        """A filter's validated value: None when the form is unbound or the field invalid."""
        self.form.errors  # noqa: B018 - validates a bound form once
        return getattr(self.form, "cleaned_data", {}).get(name)

    def error_text(self) -> str:
        """The form's errors, field by field, in the active language (with its colon)."""
        parts = []
        for name, errors in self.form.errors.items():
            messages = " ".join(str(error) for error in errors)
            field = self.form.fields.get(name)
            label = field.label if field is not None else name
            parts.append(_("%(field)s: %(errors)s") % {"field": label, "errors": messages})
        return " ".join(parts)


def filter_or_422(filterset_class: type[FilterSet], request, queryset):
    """``queryset`` filtered by the API request's query string, or 422 with the translated
    validation errors: a caller is told what was wrong rather than given an unfiltered list.

    The handler's ``Query[...]`` parameter (from :func:`query_schema`) only documents the
    parameters; this reads them from ``request.GET`` as the page does."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise HttpError(422, filterset.error_text())
    return filterset.qs


def query_schema(filterset_class: type[FilterSet], name: str) -> type[Schema]:
    """A ninja query Schema that documents ``filterset_class``'s parameters in the OpenAPI
    schema without validating them: the FilterSet is the one validator (its messages are
    translated; pydantic's would be English and differ from the page's)."""
    fields: dict[str, Any] = {}
    with translation.override(None):  # descriptions in the msgids (English), not Chinese
        for field_name, declared in filterset_class.base_filters.items():
            documented = Annotated[str | None, WithJsonSchema(_json_schema(declared))]
            label = str(declared.label or field_name)
            fields[field_name] = (documented, Field(None, description=label))
    return create_model(name, __base__=Schema, **fields)


def _json_schema(declared: django_filters.Filter) -> dict:
    if isinstance(declared, BooleanFilter):
        return {"type": "boolean"}
    if isinstance(declared, IntegerFilter):
        return {
            "type": "integer",
            "minimum": declared.extra["min_value"],
            "maximum": declared.extra["max_value"],
        }
    if isinstance(declared, django_filters.DateFilter):
        return {"type": "string", "format": "date"}
    if isinstance(declared, django_filters.ChoiceFilter):
        choices = declared.extra.get("choices", ())
        values = [str(value) for value, _label in (choices() if callable(choices) else choices)]
        return {"type": "string", "enum": [value for value in values if value]}
    return {"type": "string"}


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the site's time zone (date filters are local days)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
