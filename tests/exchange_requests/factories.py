"""Units, people, catalog resources and published rows for the requests part's tests, made
directly (the catalog's own services are tested in tests/catalog)."""

from __future__ import annotations

import datetime as dt

from shuzheng import clock
from shuzheng.accounts.models import User
from shuzheng.catalog.models import DataField, DataResource, ResourceCategory
from shuzheng.exchange.models import PublishedRow, PublishedTable
from shuzheng.orgs.models import Region, Unit

COLUMNS = (
    # column, item name, grade, share type
    ("id", "编号", "general", ""),
    ("name", "名称", "general", ""),
    ("county", "所在县区", "general", ""),
    ("phone", "联系电话", "important", ""),
    ("secret", "核心标识", "core", ""),
    ("note", "内部备注", "general", "none"),
)


def make_units():
    region = Region.objects.create(code="640100", name="银川市", level="city")
    provider = Unit.objects.create(
        code="xr-provider", name="自治区市场监管厅", kind="department", region=region
    )
    consumer = Unit.objects.create(
        code="xr-consumer", name="自治区税务局", kind="department", region=region
    )
    other = Unit.objects.create(
        code="xr-other", name="自治区教育厅", kind="department", region=region
    )
    return provider, consumer, other


def make_user(username, role, unit=None):
    user = User(username=username, role=role, unit=unit, email=f"{username}@example.org")
    user.set_password("Shuzheng-2023!")
    user.save()
    return user


_count = {"n": 0}


def make_resource(
    provider, *, share_type="conditional", grade="general", state="published", columns=COLUMNS
):
    _count["n"] += 1
    n = _count["n"]
    category, _ = ResourceCategory.objects.get_or_create(
        code="1", defaults={"name": "基础信息", "level": "class", "slug": "xr-basic"}
    )
    now = clock.now()
    resource = DataResource.objects.create(
        code=f"1-XR{n:04d}",
        name=f"xr-resource-{n}",
        title=f"市场主体登记信息{n}",
        category=category,
        provider=provider,
        summary="测试资源",
        share_type=share_type,
        share_condition="涉及商业秘密" if share_type == "none" else "",
        open_type="none",
        update_frequency="daily",
        grade=grade,
        state=state,
        created_at=now,
        modified_at=now,
    )
    for position, (column, name, item_grade, item_share) in enumerate(columns, start=1):
        DataField.objects.create(
            resource=resource,
            position=position,
            name=name,
            column=column,
            data_type="string",
            grade=item_grade,
            share_type=item_share,
        )
    return resource


def publish_rows(resource, rows):
    """A published table of ``resource`` holding ``rows`` (dicts keyed by ``id``)."""
    now = clock.now()
    table = PublishedTable.objects.create(
        resource=resource,
        source="upload",
        columns=[{"name": c[0], "type": "text", "title": c[1]} for c in COLUMNS],
        primary_key=["id"],
        row_count=len(rows),
        created_at=now,
        modified_at=now,
    )
    PublishedRow.objects.bulk_create(
        PublishedRow(table=table, key=str(row["id"]), values=row, modified_at=now) for row in rows
    )
    return table


def in_days(days: int) -> dt.date:
    return clock.today() + dt.timedelta(days=days)
