"""Catalog workbook import of 10,000 rows (issue 11, point 2; goal: under 20 s on 2 cores,
SQLite and PostgreSQL).

    .venv/bin/python bench/catalog_import_bench.py [--rows 10000] [--peer-rows 10000]
        [--profile] [--postgres postgres://postgres@/shuzheng_bench?host=/tmp/pg]

On a fresh database (SQLite in var/bench/catalog-import/, and PostgreSQL when
``--postgres`` names one the script may drop and create) with the sample registry, an .xlsx
of ``--rows`` rows (two information items a resource, the template's example with its title,
code and item names numbered; 自治区文化和旅游厅 the provider, named as offices write it) is
imported two ways, each in a fresh process on a fresh database:

* ``bulk``: ``catalog.imports.run_import`` — the planner's few queries, then
  ``services.register_resources`` (one transaction, bulk inserts of resources, items,
  versions and audit events);
* ``per resource`` (peer): the same reader and planner, then ``services.register_resource``
  for each resource in its own transaction — the path the import took before.

Both are checked afterwards: the counts of resources, items, versions and audit events.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import sys
import time
from pathlib import Path

from bench_databases import fresh_database, print_child_rows

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench" / "catalog-import"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--peer-rows", type=int, default=None)
    parser.add_argument("--postgres", default="")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--child", default="")
    args = parser.parse_args()
    if args.child:
        return child(args)
    VAR.mkdir(parents=True, exist_ok=True)
    databases = [("SQLite", f"sqlite:///{VAR / 'bench.sqlite3'}")]
    if args.postgres:
        databases.append(("PostgreSQL", args.postgres))
    peer = args.rows if args.peer_rows is None else args.peer_rows
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; load {os.getloadavg()}")
    print("| database | way | rows | resources | seconds | rows/s | check |")
    print("|---|---|---:|---:|---:|---:|---|")
    for name, url in databases:
        for way, count in (("bulk", args.rows), ("per resource (peer)", peer)):
            if count <= 0:
                continue
            fresh(url)
            command = [sys.executable, __file__, "--child", f"{name}|{way}", "--rows", str(count)]
            if args.profile:
                command.append("--profile")
            print_child_rows(command, url, profile=args.profile)
    print(f"load after: {os.getloadavg()}")
    return 0


def fresh(url: str) -> None:
    fresh_database(url, [VAR / "bench.sqlite3"])


def workbook_bytes(rows: int) -> bytes:
    """``rows`` rows: resource n is the template's example numbered n, with two items."""
    from shuzheng.catalog import imports, workbook

    keys = [column.key for column in workbook.COLUMNS]
    first, second = (dict(zip(keys, row, strict=True)) for row in workbook.example_rows())

    def cells():
        for n in range(1, rows // 2 + 1):
            for item, base in enumerate((first, second), start=1):
                values = base | {
                    "title": f"示例资源{n}",
                    "code": f"304001/{n:06d}",
                    "summary": f"第{n}个示例资源。",
                    "field_name": f"信息项{item}",
                    "is_authoritative": "否",
                }
                yield [values[key] for key in keys]

    out = io.BytesIO()
    imports.write_xlsx(out, cells(), title=workbook.TITLE)
    return out.getvalue()


def per_resource(handle, name: str, size: int) -> int:
    """The peer: the same reading and checks, then one ``register_resource`` a resource."""
    from django.db import transaction

    from shuzheng.catalog import imports, services, workbook

    kind = workbook.detect_kind(name, handle.read(8))
    handle.seek(0)
    rows, _estimate = workbook.read_rows(handle, kind)
    sheet = workbook.read_sheet(rows)
    planner = imports._Planner(None, None)
    plans = [plan for plan in planner.plan(sheet.resources) if plan.resource.is_valid]
    report = imports.ImportReport()
    writer = imports._Writer(None, planner.categories, report)
    for plan in plans:
        with transaction.atomic():
            category = writer._category(plan.resource)
            services.register_resource(actor=None, data=imports._input(plan, category))
    return len(plans)


def child(args) -> int:
    import django

    django.setup()
    from shuzheng.audit.models import AuditEvent
    from shuzheng.catalog import imports
    from shuzheng.catalog.models import DataField, DataResource, ResourceVersion
    from shuzheng.orgs.services import load_sample_registry

    database, way = args.child.split("|")
    load_sample_registry()
    data = workbook_bytes(args.rows)
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    if way == "bulk":
        report = imports.run_import(io.BytesIO(data), "catalog.xlsx", len(data), actor=None)
        assert report.problems == [], report.problems[:3]
        created = report.created
    else:
        created = per_resource(io.BytesIO(data), "catalog.xlsx", len(data))
    seconds = time.perf_counter() - started
    if args.profile:
        import pstats

        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
    resources = args.rows // 2
    assert created == resources == DataResource.objects.count()
    assert DataField.objects.count() == 2 * resources
    assert ResourceVersion.objects.count() == resources
    assert AuditEvent.objects.filter(action="catalog.register").count() == resources
    check = f"{resources} resources, {2 * resources} items, versions and events counted"
    print(
        f"| {database} | {way} | {args.rows:,} | {resources:,} | {seconds:.1f} "
        f"| {args.rows / seconds:,.0f} | {check} |",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
