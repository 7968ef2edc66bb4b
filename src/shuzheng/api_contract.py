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

NUL_MESSAGE = "text may not contain the NUL character"


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


#: Where the API lives (``shuzheng.urls``); errors below it are JSON.
API_PATH_PREFIX = "/api/"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"


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
            response.content = json.dumps({"detail": response.reason_phrase})
            response["Content-Type"] = JSON_CONTENT_TYPE
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response


def _is_api_error_page(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code >= 400
        and request.path_info.startswith(API_PATH_PREFIX)
        and not response.streaming
        and not response.get("Content-Type", "").startswith("application/json")
    )
