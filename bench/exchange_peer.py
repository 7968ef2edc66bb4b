"""The peers of bench/exchange_export_bench.py and bench/exchange_query_bench.py: minimal
views beside the product, served by the same gunicorn processes in the same run.

``exchange_peer:application()`` is the production WSGI application
(``shuzheng.wsgi:warm_application()``) with two more routes, registered only here (no
production setting turns a check off):

- ``GET /bench/peer-export/<name>?format=ndjson|csv``: a raw database cursor over the table's
  rows dumped to the socket — the stored JSON text per line, or the columns' texts as CSV —
  with no token, no grant, no digest and no message log: what streaming the rows costs.
- ``GET /bench/peer-rows/<name>``: the data API's page of rows (the same filters, fields,
  keyset page and JSON body, ``exchange.data_access``) with the grant read once per process
  and no token, no grant check and no message log per request: the data API with its checks
  and logging off.
"""

from __future__ import annotations

import csv
import io
import os

from django.http import HttpResponse, StreamingHttpResponse

#: Set by application() once Django is set up (the URLconf needs the apps).
urlpatterns: list = []
CHUNK = 5000
_accesses: dict = {}


def _table_id(name: str) -> int:
    from shuzheng.exchange.models import PublishedTable

    return PublishedTable.objects.values_list("pk", flat=True).get(resource__name=name)


def _ndjson(table_id: int):
    from django.db import connection

    # No transaction: on SQLite the platform's BEGIN IMMEDIATE would hold the write lock for
    # the whole stream and keep the other worker's message log from being written.
    with connection.chunked_cursor() as cursor:
        cursor.execute(
            'SELECT "values" FROM exchange_publishedrow WHERE table_id = %s ORDER BY id',
            [table_id],
        )
        while block := cursor.fetchmany(CHUNK):
            yield ("\n".join(text for (text,) in block) + "\n").encode()


def _csv(table_id: int, columns: list[str]):
    from django.db import connection

    if connection.vendor == "postgresql":
        cells = ", ".join(f"\"values\" ->> '{name}'" for name in columns)
    else:
        cells = ", ".join(f"\"values\" ->> '$.{name}'" for name in columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    yield buffer.getvalue().encode()
    with connection.chunked_cursor() as cursor:
        cursor.execute(
            f"SELECT {cells} FROM exchange_publishedrow WHERE table_id = %s ORDER BY id",  # noqa: S608 - bench column names
            [table_id],
        )
        while block := cursor.fetchmany(CHUNK):
            buffer.seek(0)
            buffer.truncate()
            writer.writerows(block)
            yield buffer.getvalue().encode()


def peer_export(request, name: str):
    """Rows straight from a database cursor to the socket."""
    from shuzheng.exchange.models import PublishedTable

    table = PublishedTable.objects.get(resource__name=name)
    if request.GET.get("format") == "csv":
        columns = [column["name"] for column in table.columns]
        return StreamingHttpResponse(_csv(table.pk, columns), content_type="text/csv")
    return StreamingHttpResponse(_ndjson(table.pk), content_type="application/x-ndjson")


def _access(name: str):
    """The consumer's access to ``name``, decided once per process (the checks off)."""
    if name not in _accesses:
        from shuzheng.exchange import data_access
        from shuzheng.exchange.models import AccessToken

        token = AccessToken.objects.filter(resources__name=name).latest("created_at")
        _accesses[name] = data_access.access_for(token, name)
    return _accesses[name]


def peer_rows(request, name: str):
    """The data API's page of rows without its per-request checks and its log."""
    from shuzheng.exchange import data_access

    access = _access(name)
    reserved = {"fields", "after", "limit", "format"}
    params = [(k, v) for k, values in request.GET.lists() if k not in reserved for v in values]
    filters = data_access.query_filters(access, params)
    selected = data_access.selection(access, request.GET.get("fields"))
    after = int(request.GET.get("after") or 0)
    limit = int(request.GET.get("limit") or data_access.DEFAULT_PAGE)
    items, following = data_access.page(access, filters, selected, after=after, limit=limit)
    body = data_access.encoded({"items": items, "next": following})
    return HttpResponse(body, content_type="application/json")


def application():
    """gunicorn's factory: the product's warmed application plus the peers' routes."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuzheng.settings")
    from django.conf import settings

    settings.ROOT_URLCONF = __name__
    from django.urls import include, path

    from shuzheng.wsgi import warm_application

    urlpatterns[:] = [
        path("bench/peer-export/<slug:name>", peer_export),
        path("bench/peer-rows/<slug:name>", peer_rows),
        path("", include("shuzheng.urls")),
    ]
    return warm_application()
