"""The data exchange's sample (示例数据, issue 16, point 6): ``shuzheng loadsample`` loads a
provider's resource with published data, a consumer unit with a grant, and a few logged
calls, "so that every page and the message log show something on first sight", and the
consumer pulls the table's change feed, which holds one change made after it subscribed.

The provider is the sample catalog's 卫生健康委 with its 医疗机构名录 (general data, shared
unconditionally), its rows the catalog's sample file (each name says 示例); the consumer is
the 民政厅, granted the name, kind, level and county of the hospitals in two of Yinchuan's
districts — the beds column and the other cities' rows are not granted. The calls are marked
``is_sample`` in the message log (shown 示例), chained and sealed like any. Everything goes
through the exchange's services (audited); nothing is loaded twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from django.db import transaction

from shuzheng import clock
from shuzheng.catalog.models import DataResource
from shuzheng.crypto import sm3_hex
from shuzheng.exchange import (
    feed_services,
    grant_services,
    log_services,
    rows,
    table_services,
    token_services,
)
from shuzheng.exchange.choices import FeedChannel, TableSource
from shuzheng.exchange.feed_models import FeedSubscription
from shuzheng.exchange.hooks import AnsweredCall
from shuzheng.exchange.log_models import MessageLogEntry
from shuzheng.exchange.models import AccessToken, Grant, PublishedTable
from shuzheng.orgs.models import Unit

CATALOG_DATA = Path(__file__).resolve().parent.parent / "catalog" / "data"
ROWS_FILE = CATALOG_DATA / "sample-medical-institutions.csv"
RESOURCE = "nx-medical-institutions"
CONSUMER = "nx-civil-affairs"
GRANTED_COLUMNS = ["name", "kind", "level", "county"]
GRANTED_COUNTIES = ["银川市金凤区", "银川市兴庆区"]
PURPOSE = "示例：核对城乡低保对象就医救助的定点医疗机构。"
CHANGED_ROW = "银川市第一人民医院（示例）"
CHANGED_BEDS = 1600
TOKEN_NAME = "示例系统"
LEGAL_BASIS = "《政务信息资源共享管理暂行办法》（国发〔2016〕51号）"


def load_sample_exchange() -> str:
    """Load what is missing of the sample; a summary for ``loadsample``."""
    resource = DataResource.objects.filter(name=RESOURCE).first()
    consumer = Unit.objects.filter(code=CONSUMER).first()
    if resource is None or consumer is None:
        return "skipped: load the registry and the sample catalog first"
    table = _sample_table(resource)
    grant = _sample_grant(resource, consumer)
    _sample_subscription(table, consumer)
    token = _sample_token(resource, consumer)
    calls = _sample_calls(resource, grant, token)
    return (
        f"table {resource.code} with {table.row_count} rows, grant to {consumer.name}, "
        f"a change-feed subscriber, a token, {calls} logged calls (示例)"
    )


def _sample_table(resource: DataResource) -> PublishedTable:
    table = PublishedTable.objects.filter(resource=resource).first()
    if table is not None:
        return table
    with ROWS_FILE.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    with transaction.atomic():
        table = table_services.publish_table(
            resource, primary_key=["name"], source=TableSource.UPLOAD, is_sample=True
        )
        table_services.apply_row_changes(table, upserts=records)
    table.refresh_from_db()
    return table


def _sample_grant(resource: DataResource, consumer: Unit) -> Grant:
    grant = Grant.objects.filter(resource=resource, consumer=consumer, is_sample=True).first()
    if grant is not None:
        return grant
    return grant_services.issue_grant(
        actor=None,
        consumer=consumer,
        resource=resource,
        columns=GRANTED_COLUMNS,
        row_filters=[{"column": "county", "op": "in", "value": GRANTED_COUNTIES}],
        purpose=PURPOSE,
        legal_basis=LEGAL_BASIS,
        expires_at=clock.now() + dt.timedelta(days=365),
        is_sample=True,
    )


def _sample_subscription(table: PublishedTable, consumer: Unit) -> FeedSubscription:
    """The consumer pulls the table's changes by cursor (no webhook: a sample has no server
    to receive it); one change is written after it subscribed, so its feed holds one."""
    subscription = FeedSubscription.objects.filter(table=table, consumer=consumer).first()
    if subscription is not None:
        return subscription
    subscription, _secret = feed_services.subscribe(
        consumer=consumer, table=table, channel=FeedChannel.PULL
    )
    # The feed's service subscribes real consumers; the sample marks its own as sample.
    FeedSubscription.objects.filter(pk=subscription.pk).update(is_sample=True)
    row = table.rows.get(key=rows.row_key({"name": CHANGED_ROW}, ["name"]))
    table_services.apply_row_changes(table, upserts=[{**row.values, "beds": CHANGED_BEDS}])
    subscription.refresh_from_db()
    # The consumer's system fetched the change: the pull is recorded as a delivery.
    feed_services.pull(subscription, None)
    return subscription


def _sample_token(resource: DataResource, consumer: Unit) -> AccessToken:
    """The consumer system's token (its secret is not kept anywhere: a sample token is for
    the usage pages, not for reading)."""
    token = AccessToken.objects.filter(consumer=consumer, is_sample=True).first()
    if token is not None:
        return token
    token, _secret = token_services.create_access_token(
        consumer, name=TOKEN_NAME, resources=[resource], is_sample=True
    )
    return token


def _sample_calls(resource: DataResource, grant: Grant, token: AccessToken) -> int:
    """A morning's calls of the consumer's system: the table's description, two pages of
    rows, one export, and two refusals (a column not granted, a filter injection attempt),
    each with the SM3 digest of the answer it got; then chained and sealed."""
    existing = MessageLogEntry.objects.filter(is_sample=True).count()
    if existing:
        return existing
    table = PublishedTable.objects.get(resource=resource)
    granted = [
        {column: row.values.get(column) for column in GRANTED_COLUMNS}
        for row in table.rows.order_by("id")
        if row.values.get("county") in GRANTED_COUNTIES
    ]
    base = f"/api/v1/exchange/data/{resource.name}"
    start = clock.now().replace(microsecond=0) - dt.timedelta(hours=2)
    ungranted = {"type": "ungranted-column", "title": "ungranted column", "status": 403}
    injection = {"type": "invalid-filter", "title": "invalid filter", "status": 400}
    calls = [
        ("", "", 200, {"code": resource.code, "columns": GRANTED_COLUMNS}, 0),
        ("/rows", "limit=2", 200, {"items": granted[:2], "next": 2}, 2),
        ("/rows", "after=2&limit=2", 200, {"items": granted[2:4], "next": None}, 1),
        ("/rows", "fields=name,beds", 403, ungranted, 0),
        ("/rows", "county=1%27%20OR%20%271%27%3D%271", 400, injection, 0),
        ("/export", "format=ndjson", 200, granted, len(granted)),
    ]
    answered = [
        AnsweredCall(
            at=start + dt.timedelta(minutes=7 * n),
            consumer_id=grant.consumer_id,
            token_id=token.pk,
            grant_id=grant.pk,
            resource_code=resource.code,
            method="GET",
            path=base + suffix,
            query=query,
            status=status,
            response_digest=sm3_hex(
                json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            ),
            rows=rows,
        )
        for n, (suffix, query, status, body, rows) in enumerate(calls)
    ]
    log_services.record_calls(answered, is_sample=True)
    log_services.chain_pending_entries()
    log_services.seal_log_head()
    return len(answered)
