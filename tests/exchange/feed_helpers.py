"""Helpers of the change-feed tests: a provider's published table, a consumer unit with a
grant, and provider writes that reach the feed the way the data services do — rows written
and ``hooks.rows_changed`` called inside one transaction."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from shuzheng import clock
from shuzheng.catalog import services as catalog
from shuzheng.catalog.grading import OpenType, ShareType
from shuzheng.catalog.models import ResourceCategory
from shuzheng.exchange import hooks
from shuzheng.exchange.hooks import RowChange
from shuzheng.exchange.models import Grant, PublishedRow, PublishedTable
from shuzheng.orgs.models import Region, Unit

COLUMNS = [
    {"name": "id", "type": "integer", "title": "编号"},
    {"name": "name", "type": "text", "title": "名称"},
    {"name": "region", "type": "text", "title": "地区"},
    {"name": "phone", "type": "text", "title": "电话"},
]


def make_units(prefix: str = "feed"):
    region, _ = Region.objects.get_or_create(
        code="649800", defaults={"name": "Feed Region", "level": "city"}
    )
    provider = Unit.objects.create(
        code=f"{prefix}-provider", name=f"{prefix} 提供单位", kind="department", region=region
    )
    consumer = Unit.objects.create(
        code=f"{prefix}-consumer", name=f"{prefix} 使用单位", kind="department", region=region
    )
    return provider, consumer


def make_table(provider, *, name: str = "feed-licences", grade: str = "general"):
    category = None
    for code, level in (("3", "class"), ("397", "item"), ("397001", "category")):
        category, _ = ResourceCategory.objects.get_or_create(
            code=code,
            defaults={"name": "交换", "level": level, "parent": category, "slug": f"feed-{code}"},
        )
    resource = catalog.register_resource(
        actor=None,
        data=catalog.ResourceInput(
            title=f"变更订阅资源{name}",
            category=category,
            provider=provider,
            summary="变更订阅测试。",
            share_type=ShareType.CONDITIONAL,
            open_type=OpenType.NONE,
            update_frequency="daily",
            grade=grade,
            name=name,
            fields=[
                catalog.FieldInput(name=column["title"], column=column["name"], data_type="string")
                for column in COLUMNS
            ],
        ),
    )
    now = clock.now()
    return PublishedTable.objects.create(
        resource=resource,
        source="sync",
        columns=COLUMNS,
        primary_key=["id"],
        created_at=now,
        modified_at=now,
    )


def grant(consumer, table, *, columns=("id", "name", "region"), row_filters=(), days=30):
    now = clock.now()
    return Grant.objects.create(
        consumer=consumer,
        resource=table.resource,
        columns=list(columns),
        row_filters=list(row_filters),
        purpose="变更订阅测试",
        expires_at=now + dt.timedelta(days=days),
        granted_at=now,
    )


def write(table, upserts=(), deletes=()):
    """Upsert rows (dicts with ``id``) and delete keys, as ``apply_row_changes`` does."""
    changes = []
    now = clock.now()
    with transaction.atomic():
        for values in upserts:
            key = str(values["id"])
            PublishedRow.objects.update_or_create(
                table=table, key=key, defaults={"values": values, "modified_at": now}
            )
            changes.append(RowChange("upsert", key, dict(values)))
        for key in deletes:
            changes.append(RowChange("delete", str(key)))
        hooks.rows_changed(table, changes)
        PublishedRow.objects.filter(table=table, key__in=[str(k) for k in deletes]).delete()
    return changes


def row(number: int, region: str = "银川", **extra):
    return {
        "id": number,
        "name": f"许可{number}",
        "region": region,
        "phone": "0951-1234567",
        **extra,
    }


class Receiver:
    """A webhook receiver on 127.0.0.1 that can be stopped and started again on the same
    port (a consumer that goes down and comes back); it records each POST's body, its
    headers, and answers ``status``."""

    def __init__(self):
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.received: list[tuple[dict, bytes]] = []
        self.status = 200
        self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/feed"

    def start(self):
        import http.server
        import threading

        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                receiver.received.append((headers, body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        http.server.ThreadingHTTPServer.allow_reuse_address = True
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def changes(self):
        import json

        return [change for _h, body in self.received for change in json.loads(body)["changes"]]
