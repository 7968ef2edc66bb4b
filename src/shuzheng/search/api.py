"""GET /api/v1/search — the policy library search as JSON (issue 4, item 5).

The same parameters as the results page /search/ and the same results contract. Public:
anonymous callers find published documents; signed-in government roles also find
non-public ones (services.may_see_non_public).
"""

import datetime
from typing import Annotated

from django.utils.translation import gettext
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import WithJsonSchema

from shuzheng import bounds
from shuzheng.accounts.api_auth import PUBLIC
from shuzheng.accounts.authorization import api_principal, api_requires
from shuzheng.api_contract import ErrorOut, InputSchema
from shuzheng.search import services
from shuzheng.search.query import MAX_PER_PAGE, QueryError, query_from_params

router = Router(tags=["search"], auth=PUBLIC)


def _whole_number(minimum: int, maximum: int):
    """A number parameter as the schema documents it; read as text and checked by
    ``query_from_params``, the one validator of the page and the API (its messages are
    translated)."""
    schema = {"type": "integer", "minimum": minimum, "maximum": maximum}
    return Annotated[str, WithJsonSchema(schema)]


class SearchIn(InputSchema):
    q: str = ""
    kind: str = ""
    number: str = ""
    issuer: str = ""
    year: _whole_number(bounds.YEAR_MIN, bounds.YEAR_MAX) = ""
    type: str = ""
    topic: str = ""
    validity: str = ""
    unit: str = ""
    deadline_year: _whole_number(bounds.YEAR_MIN, bounds.YEAR_MAX) = ""
    date_from: Annotated[str, WithJsonSchema({"type": "string", "format": "date"})] = ""
    date_to: Annotated[str, WithJsonSchema({"type": "string", "format": "date"})] = ""
    title: str = ""
    body: str = ""
    sort: str = ""
    page: _whole_number(1, bounds.PAGE_MAX) = ""
    per_page: _whole_number(1, MAX_PER_PAGE) = ""


class HitOut(Schema):
    kind: str
    score: float
    snippet: str
    document_id: int
    object_id: int
    title: str
    doc_number: str
    heading: str
    path: str
    anchor: str
    task_number: str
    published_on: datetime.date | None
    url: str


class FacetValueOut(Schema):
    value: str
    count: int


class SearchOut(Schema):
    total: int
    page: int
    per_page: int
    pages: int
    hits: list[HitOut]
    facets: dict[str, list[FacetValueOut]]


@router.get("", response={200: SearchOut, 400: ErrorOut}, operation_id="search")
@api_requires("view_published")
def search(request, params: Query[SearchIn]):
    """Search documents, sections and key tasks. ``q`` takes the query language of the
    results page (words, "phrases", -exclusions, 文号:/机关:/年份:/类型:/主题:/单位:/发布日期:
    filters, 标题:/正文: scoped words); the other parameters are facet filters (``topic``: a
    主题分类 class by code, name or part of its name; its facet counts codes), ``date_from`` and
    ``date_to`` (YYYY-MM-DD) the range of publication dates, ``title`` and ``body`` words that
    must be in the title or heading / in the text. Snippets are HTML with matches in <mark>."""
    try:
        query = query_from_params(params.dict())
        return services.search(query, user=api_principal(request))
    except QueryError as error:
        raise HttpError(400, error.describe(gettext)) from error
