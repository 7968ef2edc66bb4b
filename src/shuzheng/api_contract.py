"""What every app's ``api.py`` shares so that the OpenAPI schema tells the truth (issue 9,
points 6 and 11): bounded number types for path, query and body parameters, the page
parameters of every paginated list, and the one error body.

A number outside its bounds is refused by validation with 422, before any query runs, and
the schema says the bounds as ``minimum`` and ``maximum``.
"""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

from shuzheng import bounds

#: A primary key in a path or a body.
Id = Annotated[int, Field(ge=1, le=bounds.ID_MAX)]
#: A calendar year of documents, milestones and assessments.
Year = Annotated[int, Field(ge=bounds.YEAR_MIN, le=bounds.YEAR_MAX)]


class Pagination(PageNumberPagination):
    """django-ninja's page-number pagination with a bounded page number and page size."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=bounds.PAGE_MAX)
        page_size: int | None = Field(None, ge=1, le=bounds.PAGE_SIZE_MAX)


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
