"""The data API under ``/api/v1/exchange/`` (issue 16, point 3; GovStack Information
Mediator: provider-approved access, every message logged).

Consumers (``/data/…``) authenticate with a data-API token (``Authorization: Bearer
szx_…``, ``exchange.token_services``) and read what a live grant lets their unit read: a
description of the table, pages of rows (filter on granted columns, select fields, keyset
pages on row id), a streamed export (NDJSON or CSV) and, for a proxied service, GETs forwarded
to the upstream with the same enforcement. Each check runs on every request
(``exchange.data_access``): a revoked grant or token refuses the next request. Refusals are
problem details (``exchange.problems``); every call a token made is handed to the message log
(``hooks.call_answered``) with the SM3 digest of the body sent — for a stream, computed while
streaming and recorded at its end.

Providers (``/tables/…``) sync their rows with their platform session or API token: batch
upserts, deletes by key, and both at once, through ``table_services.apply_row_changes``.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.security import HttpBearer
from pydantic import Field

from shuzheng import clock
from shuzheng.accounts.api_auth import SIGNED_IN
from shuzheng.accounts.authorization import api_principal, api_requires, check_api_perm
from shuzheng.api_contract import STATUS_TEXT
from shuzheng.crypto import sm3_hex
from shuzheng.exchange import data_access, hooks, table_services, token_services
from shuzheng.exchange.models import PublishedTable
from shuzheng.exchange.problems import MEDIA_TYPE, ExchangeProblem

router = Router(tags=["exchange"])

#: Query parameters that are not filters.
RESERVED = frozenset({"fields", "after", "limit", "format"})
UPSTREAM_TIMEOUT = 10
#: The largest upstream answer forwarded (it is parsed to drop ungranted fields).
UPSTREAM_LIMIT = 5 * 1024 * 1024


class ExchangeTokenAuth(HttpBearer):
    """A consumer unit's data-API token; refusals are problem details, not the platform's
    generic 401 (``token-missing``, ``token-invalid``, ``token-expired``, ``token-revoked``)."""

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        scheme, _space, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise ExchangeProblem("token-missing", "send Authorization: Bearer szx_…")
        return self.authenticate(request, raw.strip())

    def authenticate(self, request, token):
        return token_services.authenticate(token)


exchange_token = ExchangeTokenAuth()


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str


class ColumnOut(Schema):
    name: str
    type: str
    title: str


class TableOut(Schema):
    resource: str
    code: str
    title: str
    source: str
    primary_key: list[str]
    columns: list[ColumnOut]
    grant_expires_at: str


class RowsPage(Schema):
    items: list[dict[str, Any]]
    next: int | None = Field(None, description="Pass as ``after`` for the next page.")


def _problem_docs(*statuses: int, ok: dict | None = None) -> dict:
    """The operation's refusals documented as ``application/problem+json`` (ninja documents
    declared responses as ``application/json`` only)."""
    schema = ProblemOut.model_json_schema()
    responses: dict = {
        status: {
            "description": str(STATUS_TEXT.get(status, "Problem")),
            "content": {MEDIA_TYPE: {"schema": schema}},
        }
        for status in statuses
    }
    if ok:
        responses[200] = {"description": "OK", "content": ok}
    return {"responses": responses}


READ_PROBLEMS = _problem_docs(400, 401, 403, 404)


def _record(request, token, access, status: int, digest: str, count: int = 0) -> None:
    hooks.call_answered(
        hooks.AnsweredCall(
            at=clock.now(),
            consumer_id=token.consumer_id,
            token_id=token.pk,
            grant_id=access.grant.pk if access is not None else None,
            resource_code=access.resource.code if access is not None else "",
            method=request.method,
            path=request.path,
            query=request.META.get("QUERY_STRING", ""),
            status=status,
            response_digest=digest,
            rows=count,
        )
    )


def _answer(request, token, access, body: bytes, *, status=200, count=0, content_type=None):
    _record(request, token, access, status, sm3_hex(body), count)
    return HttpResponse(body, status=status, content_type=content_type or "application/json")


def _refusal(request, token, access, exc: ExchangeProblem):
    body = json.dumps(exc.body(), ensure_ascii=False).encode()
    return _answer(request, token, access, body, status=exc.status, content_type=MEDIA_TYPE)


def _access(request, name: str):
    return data_access.access_for(request.auth, name)


def _filters(request, access):
    params = [(k, v) for k, values in request.GET.lists() if k not in RESERVED for v in values]
    return data_access.query_filters(access, params)


@router.get(
    "/data/{name}",
    response={200: TableOut},
    openapi_extra=READ_PROBLEMS,
    operation_id="exchange_data_table",
    auth=exchange_token,
    summary="A published resource as the token's grant shows it",
)
def data_table(request, name: str):
    """The columns the grant lets the caller read (never the others), the primary key and
    how the data is published."""
    access = None
    try:
        access = _access(request, name)
        table = access.table
        by_name = {c.name: c for c in access.columns}
        body = {
            "resource": table.resource.name,
            "code": table.resource.code,
            "title": table.resource.title,
            "source": table.source,
            "primary_key": [k for k in table.primary_key if k in access.granted],
            "columns": [by_name[n].as_dict() for n in access.granted],
            "grant_expires_at": access.grant.expires_at.isoformat(),
        }
        return _answer(request, request.auth, access, data_access.encoded(body))
    except ExchangeProblem as exc:
        return _refusal(request, request.auth, access, exc)


def _limit(request) -> tuple[int, int]:
    try:
        after = int(request.GET.get("after") or 0)
        limit = int(request.GET.get("limit") or data_access.DEFAULT_PAGE)
    except ValueError as exc:
        raise ExchangeProblem("invalid-filter", "after and limit are whole numbers") from exc
    if after < 0 or not 1 <= limit <= data_access.MAX_PAGE:
        raise ExchangeProblem(
            "invalid-filter", f"limit is 1 to {data_access.MAX_PAGE}, after at least 0"
        )
    return after, limit


@router.get(
    "/data/{name}/rows",
    response={200: RowsPage},
    openapi_extra=READ_PROBLEMS,
    operation_id="exchange_data_rows",
    auth=exchange_token,
    summary="Query a published resource's rows",
)
def data_rows(request, name: str):
    """Rows the grant lets through, narrowed by filters on granted columns
    (``column=value``, ``column__in=a,b``), with ``fields=a,b`` selected, ``limit`` rows
    (at most 1,000) after row ``after`` (the previous page's ``next``)."""
    access = None
    try:
        access = _access(request, name)
        if data_access.is_proxy(access):
            raise ExchangeProblem("not-found", "a proxied service is read through /proxy/")
        filters = _filters(request, access)
        selected = data_access.selection(access, request.GET.get("fields"))
        after, limit = _limit(request)
        items, following = data_access.page(access, filters, selected, after=after, limit=limit)
        body = data_access.encoded({"items": items, "next": following})
        return _answer(request, request.auth, access, body, count=len(items))
    except ExchangeProblem as exc:
        return _refusal(request, request.auth, access, exc)


@router.get(
    "/data/{name}/export",
    openapi_extra=_problem_docs(
        400,
        401,
        403,
        404,
        ok={
            "application/x-ndjson": {"schema": {"type": "string"}},
            "text/csv": {"schema": {"type": "string"}},
        },
    ),
    operation_id="exchange_data_export",
    auth=exchange_token,
    summary="Export a published resource's rows as a stream (NDJSON or CSV)",
)
def data_export(request, name: str, format: str = "ndjson"):
    """Every row the grant and the filters let through, streamed with flat memory:
    ``format=ndjson`` (one JSON object per line) or ``format=csv`` (UTF-8, header row)."""
    access = None
    token = request.auth
    try:
        access = _access(request, name)
        if data_access.is_proxy(access):
            raise ExchangeProblem("not-found", "a proxied service is read through /proxy/")
        if format not in ("ndjson", "csv"):
            raise ExchangeProblem("invalid-filter", "format is ndjson or csv")
        filters = _filters(request, access)
        selected = data_access.selection(access, request.GET.get("fields"))
    except ExchangeProblem as exc:
        return _refusal(request, token, access, exc)
    if format == "csv":
        blocks = data_access.csv_blocks(access, filters, selected)
        content_type = "text/csv; charset=utf-8"
    else:
        blocks = data_access.ndjson_blocks(access, filters, selected)
        content_type = "application/x-ndjson"

    def recorded(digest: str, count: int) -> None:
        _record(request, token, access, 200, digest, count)

    response = StreamingHttpResponse(
        data_access.DigestedStream(blocks, recorded), content_type=content_type
    )
    filename = f"{access.resource.name}.{format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get(
    "/data/{name}/proxy/{path:rest}",
    openapi_extra=_problem_docs(
        400, 401, 403, 404, 502, ok={"application/json": {"schema": {"type": "object"}}}
    ),
    operation_id="exchange_data_proxy",
    auth=exchange_token,
    summary="A GET forwarded to a proxied upstream service, under the grant",
)
def data_proxy(request, name: str, rest: str):
    """The upstream's JSON answer with every record reduced to the granted columns and the
    records outside the grant's row filters dropped; non-JSON answers are refused."""
    access = None
    try:
        access = _access(request, name)
        if not data_access.is_proxy(access):
            raise ExchangeProblem("not-found", "this resource is not a proxied service")
        body = data_access.encoded(
            data_access.filter_upstream(access, _upstream(access, request, rest))
        )
        return _answer(request, request.auth, access, body)
    except ExchangeProblem as exc:
        return _refusal(request, request.auth, access, exc)


def _upstream(access, request, rest: str):
    base = access.table.upstream_url.rstrip("/") + "/"
    target = urllib.parse.urljoin(base, urllib.parse.quote(rest.lstrip("/"), safe="/"))
    if not target.startswith(base) or "/../" in f"/{rest}/":
        raise ExchangeProblem("not-found", "the path leaves the upstream service")
    query = request.META.get("QUERY_STRING", "")
    if query:
        target += "?" + query
    upstream = urllib.request.Request(target, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(upstream, timeout=UPSTREAM_TIMEOUT) as answer:  # noqa: S310 - the provider's registered address
            data = answer.read(UPSTREAM_LIMIT + 1)
    except urllib.error.HTTPError as exc:
        raise ExchangeProblem("upstream-failed", f"the upstream answered {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise ExchangeProblem("upstream-failed", "the upstream service cannot be reached") from exc
    if len(data) > UPSTREAM_LIMIT:
        raise ExchangeProblem("upstream-failed", "the upstream answer is too large")
    try:
        return json.loads(data)
    except ValueError as exc:
        raise ExchangeProblem("upstream-failed", "the upstream answer is not JSON") from exc


# --- provider sync ---------------------------------------------------------------------------


class RowsIn(Schema):
    rows: list[dict[str, Any]]


class ChangesIn(Schema):
    upserts: list[dict[str, Any]] = []
    deletes: list[str] = []


class ChangesOut(Schema):
    inserted: int
    updated: int
    deleted: int


class RowProblemOut(Schema):
    code: str
    row: int
    column: str
    message: str


class InvalidRowsOut(ProblemOut):
    problems: list[RowProblemOut]


def _own_table(request, name: str) -> PublishedTable:
    table = get_object_or_404(
        PublishedTable.objects.select_related("resource"), resource__name=name
    )
    check_api_perm(request, table_services.PUBLISH_PERMISSION, table.resource.provider_id)
    return table


def _changed(request, table, upserts, deletes):
    try:
        result = table_services.apply_row_changes(
            table, upserts, deletes, actor=api_principal(request)
        )
    except table_services.TableError as exc:
        problems = [
            {
                "code": p.code,
                "row": p.row,
                "column": p.column,
                "message": table_services.describe(p),
            }
            for p in exc.problems[: table_services.MAX_PROBLEMS]
        ]
        problem = ExchangeProblem("invalid-rows", problems[0]["message"], problems=problems)
        return Status(422, problem.body())
    return Status(
        200, {"inserted": result.inserted, "updated": result.updated, "deleted": result.deleted}
    )


@router.put(
    "/tables/{name}/rows",
    response={200: ChangesOut, 422: InvalidRowsOut},
    operation_id="exchange_table_upsert",
    auth=SIGNED_IN,
    summary="Upsert rows of one's published table by primary key (batch)",
)
@api_requires(table_services.PUBLISH_PERMISSION)
def table_upsert(request, name: str, payload: RowsIn):
    """Insert or replace rows by primary key; the whole batch is refused on any bad row."""
    return _changed(request, _own_table(request, name), payload.rows, [])


@router.post(
    "/tables/{name}/changes",
    response={200: ChangesOut, 422: InvalidRowsOut},
    operation_id="exchange_table_changes",
    auth=SIGNED_IN,
    summary="Upsert and delete rows of one's published table in one transaction",
)
@api_requires(table_services.PUBLISH_PERMISSION)
def table_changes(request, name: str, payload: ChangesIn):
    """Upserts and deletes (primary keys as text; a composite key as a JSON array) applied
    together or not at all."""
    return _changed(request, _own_table(request, name), payload.upserts, payload.deletes)


@router.delete(
    "/tables/{name}/rows/{key}",
    response={200: ChangesOut, 422: InvalidRowsOut},
    operation_id="exchange_table_delete_row",
    auth=SIGNED_IN,
    summary="Delete one row of one's published table by primary key",
)
@api_requires(table_services.PUBLISH_PERMISSION)
def table_delete_row(request, name: str, key: str):
    return _changed(request, _own_table(request, name), [], [key])
