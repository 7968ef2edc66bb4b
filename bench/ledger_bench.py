"""Ledger benchmark (issue 5): the key-task ledger at 100,000 tasks and 1,000,000 reports.

    .venv/bin/python bench/ledger_bench.py [--tasks 100000] [--reports 1000000]
        [--requests 30] [--postgres postgres://postgres@/shuzheng_bench?host=/tmp/pgdev]

Generates the dashboard benchmark's deterministic ledger (bench/dashboard_bench.py, seed
20230516, bulk inserts) on SQLite (a fresh file under var/bench/) and, when --postgres (or
SHUZHENG_BENCH_POSTGRES) is given, on PostgreSQL. Then it times:

* ``shuzheng refreshlights``: the full run (``--all``: every task's stored light), a second
  run the same day (nothing to do), and the incremental runs of the next day and of the first
  of the next month (monthly reports fall due);
* the ledger page's server time: GET /tasks/ through Django's test client as a supervisor —
  the first page, a light filter (red), a unit filter, the red-first order — and the
  ``tasks_list`` API (first page, red), median and p95 of ``--requests`` requests.

Prints a Markdown table for docs/benchmarks.md ("Ledger"). Not a test: numbers depend on the
machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import dashboard_bench as shared  # noqa: E402  (the same generator, clock day and helpers)

TODAY = shared.TODAY
NEXT_DAY = TODAY + timedelta(days=1)
NEXT_MONTH = (TODAY.replace(day=28) + timedelta(days=4)).replace(day=1)
PAGES = (
    ("ledger first page", "/tasks/"),
    ("light = red", "/tasks/?light=red"),
    ("unit filter", "/tasks/?unit={unit}"),
    ("red first (sort=light)", "/tasks/?sort=light"),
    ("API first page", "/api/v1/tasks/"),
    ("API light = red", "/api/v1/tasks/?light=red"),
)


def timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def bench_database(args) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from shuzheng import clock
    from shuzheng.accounts.models import User
    from shuzheng.orgs.services import load_sample_registry
    from shuzheng.tasks.models import KeyTask, TaskResponsibility
    from shuzheng.tasks.services.lights import refresh_stale_lights

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        for table in shared.LEDGER_TABLES:
            cursor.execute(f"DELETE FROM {table}")
    load_sample_registry()
    generated, counts = timed(lambda: shared.generate(args.tasks, args.reports))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    refresh = {}
    refresh["full"], done = timed(lambda: refresh_stale_lights(TODAY, everything=True))
    lights = dict(KeyTask.objects.values_list("light").annotate(n=Count("pk")).order_by("light"))
    refresh["again"], again = timed(lambda: refresh_stale_lights(TODAY))
    refresh["next_day"], next_day = timed(lambda: refresh_stale_lights(NEXT_DAY))
    refresh["next_month"], next_month = timed(lambda: refresh_stale_lights(NEXT_MONTH))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE tasks_keytask")

    clock.set_now(NEXT_MONTH)
    unit = (
        TaskResponsibility.objects.values_list("unit__code", flat=True)
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    supervisor, _ = User.objects.get_or_create(
        username="bench_supervisor", defaults={"role": "supervisor"}
    )
    client = Client()
    client.force_login(supervisor)
    client.get("/tasks/")  # warm caches: templates, URL resolver
    pages = {
        label: shared.timed_requests(client, path.format(unit=unit), args.requests)
        for label, path in PAGES
    }
    return {
        "counts": counts,
        "generate_s": generated,
        "refresh_s": refresh,
        "recomputed": {
            "full": done.tasks,
            "again": again.tasks,
            "next_day": next_day.tasks,
            "next_month": next_month.tasks,
        },
        "lights": lights,
        "pages": pages,
    }


def report(results: dict, args) -> str:
    command = " ".join([".venv/bin/python", "bench/ledger_bench.py", *sys.argv[1:]])
    first = next(iter(results.values()))
    counts = first["counts"]
    recomputed = first["recomputed"]
    lines = [
        f"`{command}`",
        "",
        f"Machine: {shared.machine()}. Ledger: {counts['tasks']:,} tasks, "
        f"{counts['milestones']:,} milestones, {counts['assignments']:,} assignments, "
        f"{counts['reports']:,} progress reports; {args.requests} requests per page.",
        "",
        f"`refreshlights` as of {TODAY} (`--all`, {recomputed['full']:,} tasks), again the "
        f"same day ({recomputed['again']:,} tasks), on {NEXT_DAY} ({recomputed['next_day']:,} "
        f"tasks) and on {NEXT_MONTH} ({recomputed['next_month']:,} tasks):",
        "",
        "| database | generate | full | same day again | next day | first of next month |",
        "|---|---|---|---|---|---|",
    ]
    for label, result in results.items():
        refresh = result["refresh_s"]
        lines.append(
            f"| {label} | {result['generate_s']:.0f} s | {refresh['full']:.1f} s "
            f"| {refresh['again'] * 1000:.0f} ms | {refresh['next_day']:.2f} s "
            f"| {refresh['next_month']:.1f} s |"
        )
    lines += [
        "",
        f"Page server time as of {NEXT_MONTH}, median / p95:",
        "",
        "| database | " + " | ".join(label for label, _ in PAGES) + " |",
        "|---|" + "---|" * len(PAGES),
    ]
    for label, result in results.items():
        cells = [
            f"{result['pages'][page]['median']:.1f} / {result['pages'][page]['p95']:.1f} ms"
            for page, _ in PAGES
        ]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    for label, result in results.items():
        lines.append(f"\n{label} stored lights as of {TODAY}: {json.dumps(result['lights'])}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--postgres", default=os.environ.get("SHUZHENG_BENCH_POSTGRES", ""))
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT.parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuzheng.settings")

    if args.backend:  # child process: one database per process (Django settings are global)
        print(json.dumps(bench_database(args)))
        return

    bench_dir = ROOT.parent / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    sqlite_file = bench_dir / "ledger-bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
    targets = [("SQLite", "sqlite", f"sqlite:///{sqlite_file}")]
    if args.postgres:
        targets.append(("PostgreSQL", "postgresql", args.postgres))
    results = {}
    for label, backend, url in targets:
        if backend == "postgresql":
            shared._create_postgres_database(url)
        env = {
            **os.environ,
            "SHUZHENG_DATABASE_URL": url,
            "SHUZHENG_VAR_DIR": str(bench_dir),
            "SHUZHENG_ALLOWED_HOSTS": "testserver",
        }
        output = subprocess.run(
            [sys.executable, __file__, "--backend", backend, *sys.argv[1:]],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        results[label] = json.loads(output.stdout.strip().splitlines()[-1])
        print(f"{label}: {results[label]}", file=sys.stderr)
    print(report(results, args))


if __name__ == "__main__":
    main()
