"""The installation and the published tables of the exchange's server benchmarks
(bench/exchange_export_bench.py, bench/exchange_query_bench.py).

    .venv/bin/python bench/exchange_bench_data.py --slot export --rows 10000000

Run by the benchmarks with the installation's environment (``environment``): it publishes a
10-column table for the slot's bench (one sample catalog resource per slot: published, not
core, not yet in the exchange; chosen once and kept by its name), fills it up to ``--rows``
rows with a bulk insert (``executemany`` on SQLite, ``COPY`` on PostgreSQL: the product's
upsert path checks and feeds every row, which is not what these benchmarks measure), grants
the sample consumer unit the columns the slot's grant names, and prints the resource's name
and a fresh data-API token. A table that already has the rows is reused as it is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The bench table's layout: ten columns of every type the exchange knows.
COLUMNS = [
    ("id", "integer"),
    ("name", "text"),
    ("county", "text"),
    ("category", "text"),
    ("amount", "decimal"),
    ("quantity", "integer"),
    ("opened", "date"),
    ("active", "boolean"),
    ("code", "text"),
    ("note", "text"),
]
COUNTIES = ["银川市兴庆区", "银川市金凤区", "银川市西夏区", "大武口区", "利通区"]
CATEGORIES = ["医疗", "教育", "养老", "交通", "环保", "文旅"]
#: Per slot: the bench resource's name, the columns granted and the grant's row filters.
SLOTS = {
    # Every column, no row filter: the export streams the stored JSON as it is.
    "export": ("bench-exchange-export", [name for name, _type in COLUMNS], []),
    # Nine columns (not ``note``) of two counties: the grant narrows every query.
    "query": (
        "bench-exchange-query",
        [name for name, _type in COLUMNS if name != "note"],
        [{"column": "county", "op": "in", "value": COUNTIES[:2]}],
    ),
}
CONSUMER = "nx-civil-affairs"


def environment(var: Path, database_url: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "SHUZHENG_VAR_DIR": str(var),
        "SHUZHENG_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "shuzheng.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), os.environ.get("PYTHONPATH", "")]),
    }
    if database_url:
        env["SHUZHENG_DATABASE_URL"] = database_url
    return env


def prepare(env: dict[str, str], slot: str, rows: int) -> tuple[str, str]:
    """Migrate, load the sample once, collect static files, then this module's main in the
    installation: the bench resource's name and a token reading it."""
    Path(env["SHUZHENG_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    run = [sys.executable, "-m", "shuzheng"]
    subprocess.run([*run, "migrate", "--noinput", "-v0"], env=env, check=True)
    loaded = subprocess.run(
        [*run, "shell", "--no-imports", "-c",
         "from shuzheng.exchange.models import Grant; print(Grant.objects.exists())"],
        env=env, check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1]  # fmt: skip
    if loaded != "True":
        subprocess.run([*run, "loadsample"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*run, "collectstatic", "--noinput", "-v0"], env=env, check=True)
    output = subprocess.run(
        [sys.executable, str(Path(__file__)), "--slot", slot, "--rows", str(rows)],
        env=env, check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    return output[-2], output[-1]


def row_values(number: int) -> dict:
    """Row ``number``'s canonical values (``exchange.rows.typed_value``'s forms)."""
    return {
        "id": number,
        "name": f"机构{number:08d}",
        "county": COUNTIES[number % len(COUNTIES)],
        "category": CATEGORIES[number % len(CATEGORIES)],
        "amount": f"{number % 100000}.{number % 100:02d}",
        "quantity": number % 977,
        "opened": (dt.date(2000, 1, 1) + dt.timedelta(days=number % 9000)).isoformat(),
        "active": number % 3 != 0,
        "code": f"NX{number * 7919 % 10**9:09d}",
        "note": "示例备注" if number % 10 else "",
    }


def _bench_table(slot: str):
    from shuzheng import clock
    from shuzheng.catalog.grading import Grade
    from shuzheng.catalog.models import DataResource
    from shuzheng.exchange import rows, table_services
    from shuzheng.exchange.models import PublishedTable

    name = SLOTS[slot][0]
    table = PublishedTable.objects.filter(resource__name=name).first()
    if table is not None:
        return table
    resource = (
        DataResource.objects.filter(state="published", published_table__isnull=True)
        .exclude(grade=Grade.CORE)
        .exclude(name__startswith="bench-exchange-")
        .order_by("pk")
        .first()
    )
    if resource is None:
        raise SystemExit("no published, unexchanged sample resource is left for the bench")
    DataResource.objects.filter(pk=resource.pk).update(name=name, modified_at=clock.now())
    resource.refresh_from_db()
    columns = [rows.Column(n, t, n) for n, t in COLUMNS]
    return table_services.publish_table(resource, primary_key=["id"], columns=columns)


def fill(table, wanted: int, batch: int = 50_000) -> None:
    """Insert rows ``row_count + 1 … wanted`` in one transaction, bypassing the upsert path."""
    from django.db import connection, transaction

    from shuzheng import clock
    from shuzheng.exchange.models import PublishedRow, PublishedTable

    have = PublishedRow.objects.filter(table=table).count()
    if have >= wanted:
        return
    now = clock.now()
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            copy_sql = (
                'COPY exchange_publishedrow (table_id, key, "values", modified_at) FROM STDIN'
            )
            with cursor.cursor.copy(copy_sql) as copy:
                for number in range(have + 1, wanted + 1):
                    copy.write_row((table.pk, str(number), dumps(row_values(number)), now))
        else:
            insert = (
                'INSERT INTO exchange_publishedrow (table_id, key, "values", modified_at) '
                "VALUES (%s, %s, %s, %s)"
            )
            stamp = now.isoformat()
            for start in range(have + 1, wanted + 1, batch):
                stop = min(start + batch, wanted + 1)
                cursor.executemany(
                    insert,
                    [(table.pk, str(n), dumps(row_values(n)), stamp) for n in range(start, stop)],
                )
        PublishedTable.objects.filter(pk=table.pk).update(row_count=wanted)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE exchange_publishedrow")


def grant_and_token(table, slot: str) -> str:
    """A live grant of the slot's columns and filters to the sample consumer (an earlier
    run's kept if it says the same), and a new token's secret."""
    from shuzheng import clock
    from shuzheng.exchange import token_services
    from shuzheng.exchange.models import Grant
    from shuzheng.orgs.models import Unit

    _name, columns, row_filters = SLOTS[slot]
    consumer = Unit.objects.get(code=CONSUMER)
    now = clock.now()
    live = Grant.objects.filter(
        consumer=consumer, resource=table.resource, revoked_at__isnull=True, expires_at__gt=now
    ).first()
    if live is None or live.columns != columns or live.row_filters != row_filters:
        Grant.objects.filter(consumer=consumer, resource=table.resource).update(revoked_at=now)
        Grant.objects.create(
            consumer=consumer,
            resource=table.resource,
            columns=columns,
            row_filters=row_filters,
            purpose="基准测试",
            expires_at=now + dt.timedelta(days=30),
            granted_at=now,
        )
    _token, secret = token_services.create_access_token(
        consumer, name="基准测试", resources=[table.resource]
    )
    return secret


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slot", choices=sorted(SLOTS), required=True)
    parser.add_argument("--rows", type=int, required=True)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    table = _bench_table(args.slot)
    fill(table, args.rows)
    print(table.resource.name, grant_and_token(table, args.slot))


if __name__ == "__main__":
    main()
