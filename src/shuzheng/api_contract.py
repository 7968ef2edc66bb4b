"""What every app's ``api.py`` shares so that the OpenAPI schema tells the truth (issue 9,
points 6, 10 and 11): bounded number types for path, query and body parameters, the page
parameters of every paginated list, the one error body, and the middleware that makes
every error under /api/ that body.

A number outside its bounds is refused by validation with 422, before any query runs, and
the schema says the bounds as ``minimum`` and ``maximum``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator, field_validator

from shuzheng import bounds

#: A primary key in a path or a body.
Id = Annotated[int, Field(ge=1, le=bounds.ID_MAX)]
#: A calendar year of documents, milestones and assessments.
Year = Annotated[int, Field(ge=bounds.YEAR_MIN, le=bounds.YEAR_MAX)]
#: A code or a prefix in a path (a unit's or region's code, a token's prefix).
Key = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\x00]+$")]

NUL_MESSAGE = gettext_noop("Text may not contain the NUL character.")


def _without_nul(value: Any) -> Any:
    """``value`` unchanged, or ValueError when a text in it holds NUL: PostgreSQL cannot
    store it, and the query would fail (500) instead of the request (Django's form fields
    refuse it the same way)."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(NUL_MESSAGE)
    if isinstance(value, dict):
        for key, item in value.items():
            _without_nul(key)
            _without_nul(item)
    elif isinstance(value, list | tuple | set):
        for item in value:
            _without_nul(item)
    return value


#: A text form field of an operation (multipart bodies are not a Schema).
Text = Annotated[str, AfterValidator(_without_nul)]


class InputSchema(Schema):
    """The base of every request body and query Schema: no text in it may hold NUL."""

    @field_validator("*", mode="after")
    @classmethod
    def refuse_nul(cls, value: Any) -> Any:
        return _without_nul(value)


class PageIn(Schema):
    """The page parameters of every paginated list."""

    page: int = Field(1, ge=1, le=bounds.PAGE_MAX)
    page_size: int | None = Field(None, ge=1, le=bounds.PAGE_SIZE_MAX)


class Pagination(PageNumberPagination):
    """django-ninja's page-number pagination with a bounded page number and page size."""

    Input = PageIn


class FieldErrorOut(Schema):
    """One failed check of the request's parameters or body (pydantic's error, as
    django-ninja reports it)."""

    type: str
    loc: list[str | int]
    msg: str
    ctx: dict[str, Any] | None = None


class ErrorOut(Schema):
    """Every error answer: a sentence, or (422 from validation) the failed checks."""

    detail: str | list[FieldErrorOut]


#: pydantic's error types, worded in the caller's language (its own ``msg`` is English
#: only); the placeholders are the error's ``ctx``.
CHECK_TEXT = {
    "missing": _("This field is required."),
    "int_parsing": _("Enter a whole number."),
    "int_type": _("Enter a whole number."),
    "int_from_float": _("Enter a whole number."),
    "float_parsing": _("Enter a number."),
    "float_type": _("Enter a number."),
    "bool_parsing": _("Enter true or false."),
    "bool_type": _("Enter true or false."),
    "less_than_equal": _("The value must be at most %(le)s."),
    "greater_than_equal": _("The value must be at least %(ge)s."),
    "less_than": _("The value must be less than %(lt)s."),
    "greater_than": _("The value must be greater than %(gt)s."),
    "string_type": _("Enter a text."),
    "string_too_long": _("The text may have at most %(max_length)s characters."),
    "string_too_short": _("The text must have at least %(min_length)s characters."),
    "string_pattern_mismatch": _("The text is not in the expected form."),
    "date_parsing": _("Enter a date such as 2026-12-02."),
    "date_from_datetime_parsing": _("Enter a date such as 2026-12-02."),
    "date_type": _("Enter a date such as 2026-12-02."),
    "datetime_parsing": _("Enter a date and time such as 2026-12-02T09:30:00."),
    "datetime_from_date_parsing": _("Enter a date and time such as 2026-12-02T09:30:00."),
    "datetime_type": _("Enter a date and time such as 2026-12-02T09:30:00."),
    "enum": _("Choose one of: %(expected)s."),
    "literal_error": _("Choose one of: %(expected)s."),
    "list_type": _("Enter a list."),
    "too_long": _("At most %(max_length)s items are allowed."),
    "too_short": _("At least %(min_length)s items are needed."),
    "dict_type": _("Enter an object."),
    "model_type": _("Enter an object."),
    "model_attributes_type": _("Enter an object."),
    "json_invalid": _("The body is not valid JSON."),
    "uuid_parsing": _("Enter a valid identifier."),
}
INVALID_VALUE = _("The value is not valid.")


def worded_checks(errors: list[dict]) -> list[dict]:
    """django-ninja's validation errors with ``msg`` in the active language: a custom
    validator's ValueError carries a sentence of the catalogue, pydantic's own checks are
    worded from :data:`CHECK_TEXT`; type, loc and ctx stay for programs."""
    return [error | {"msg": _check_text(error)} for error in errors]


def _check_text(error: dict) -> str:
    context = error.get("ctx") or {}
    if error.get("type") == "value_error" and "error" in context:
        return gettext(str(context["error"]))
    text = CHECK_TEXT.get(error.get("type"), INVALID_VALUE)
    try:
        return str(text) % context
    except (KeyError, TypeError, ValueError):
        return str(INVALID_VALUE)


#: Error answers made by Django, not by an operation, worded by status.
STATUS_TEXT = {
    400: _("The request could not be understood."),
    403: _("You may not do this."),
    404: _("Not found."),
    405: _("This method is not allowed here."),
    413: _("The request is too large."),
    500: _("The server failed to answer; the error has been logged."),
}
REQUEST_FAILED = _("The request failed.")
#: The sentences django-ninja itself raises, so that the catalogue translates them.
NINJA_MESSAGES = (gettext_noop("CSRF check Failed"),)


def worded_detail(message: str) -> str:
    """An HttpError's sentence in the active language: the platform's own are translated
    already, django-ninja's are entries of the catalogue (:data:`NINJA_MESSAGES`)."""
    return gettext(message)


#: Where the API lives (``shuzheng.urls``); errors below it are JSON.
API_PATH_PREFIX = "/api/"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
#: Error bodies left as they are: JSON, and RFC 9457 problem details (the exchange's data API
#: and change feed answer ``application/problem+json`` with documented problem types).
JSON_ERROR_TYPES = ("application/json", "application/problem+json")


class ApiErrorsAsJsonMiddleware:
    """Every error answer under /api/ is an :class:`ErrorOut`, whatever produced it.

    django-ninja answers its own errors in JSON, but some reach the caller from Django:
    404 for a path no operation has, 405 for a method the path lacks (with ``Allow``), the
    400/403/500 pages of ``shuzheng.urls``' handlers (a PermissionDenied or an unexpected
    exception inside an operation, which django-ninja re-raises when DEBUG is off), and
    the CSRF failure page. A program reading the API must not get an HTML page instead of
    the documented body; the status code and the other headers stay as they were.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if _is_api_error_page(request, response):
            detail = STATUS_TEXT.get(response.status_code, REQUEST_FAILED)
            response.content = json.dumps({"detail": str(detail)}, ensure_ascii=False)
            response["Content-Type"] = JSON_CONTENT_TYPE
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response


def _is_api_error_page(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code >= 400
        and request.path_info.startswith(API_PATH_PREFIX)
        and not response.streaming
        and not response.get("Content-Type", "").startswith(JSON_ERROR_TYPES)
    )
