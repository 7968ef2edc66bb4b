"""Dashboard benchmark (issue 5): the leadership dashboard at 100,000 tasks and 1,000,000 reports.

    .venv/bin/python bench/dashboard_bench.py [--tasks 100000] [--reports 1000000]
        [--requests 30] [--postgres postgres://postgres@/shuzheng_bench?host=/tmp/pgdev]

Generates a deterministic ledger (seed 20230516) with bulk inserts — tasks with milestones
shaped like the sample list's 完成时限, one or two responsible units each, an assignment (交办)
for most, progress reports, achievements and closures — on SQLite (a fresh file under
var/bench/) and, when --postgres (or SHUZHENG_BENCH_POSTGRES) is given, on PostgreSQL (the
database is created if missing; its ledger tables are emptied first). Then it times:

* the status computation: ``dashboard.services.refresh_snapshot`` — the dashboard's counts of
  the stored lights, written as the day's snapshot (the lights themselves are stored first,
  untimed, by ``refresh_stale_lights`` as the worker does; docs/benchmarks.md "Ledger" times it);
* the dashboard page's server time: GET /dashboard/ through Django's test client as a
  supervisor, median and p95 of ``--requests`` requests (the snapshot is fresh);
* the drill-down list (red tasks, first page) and GET /api/v1/dashboard/summary likewise.

Prints a Markdown table for docs/benchmarks.md ("Dashboard"). Not a test: numbers depend on
the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = 20230516
TODAY = date(2024, 6, 15)
ASSIGNED = date(2023, 5, 16)  # 宁政发〔2023〕17号 was issued on 16 May 2023
CATEGORIES = tuple(f"({n}) 类别{n}" for n in "一二三四五六七八九十")
# (kind, year) patterns of the sample list's 完成时限 column (as bench/status_bench.py)
SHAPES = (
    (("complete", 2023),),
    (("complete", 2024),),
    (("complete", 2025),),
    (("start", 2023), ("complete", 2024)),
    (("ongoing", None), ("effective", 2025)),
    (("complete", 2023), ("ongoing", None)),
    (("ongoing", None),),
)
LEDGER_TABLES = (
    "tasks_evidence",
    "tasks_progressreport",
    "tasks_assignment",
    "tasks_milestone",
    "tasks_taskresponsibility",
    "dashboard_tasklight",
    "dashboard_dashboardsnapshot",
    "tasks_keytask",
)


def generate(task_count: int, report_count: int) -> dict[str, int]:
    """Bulk-insert the ledger; returns the row counts."""
    from shuzheng.orgs.models import Unit
    from shuzheng.tasks.models import Assignment, KeyTask, Milestone, TaskResponsibility

    rng = random.Random(SEED)
    units = list(Unit.objects.values_list("pk", flat=True))
    tasks = KeyTask.objects.bulk_create(
        (
            KeyTask(
                number=index + 1,
                category=CATEGORIES[index % len(CATEGORIES)],
                content=f"重点任务 {index + 1}",
                form="manual",
                registered_on=ASSIGNED,
                report_cycle="monthly" if index % 4 else "quarterly",
                closure="confirmed" if index % 20 == 0 else "open",
                closed_on=date(2024, 3, 31) if index % 20 == 0 else None,
            )
            for index in range(task_count)
        ),
        batch_size=5000,
    )
    milestones, responsibilities, assignments, assigned_unit = [], [], [], {}
    for index, task in enumerate(tasks):
        for kind, year in SHAPES[index % len(SHAPES)]:
            due = None if year is None else date(year, 12, 31)
            achieved = None
            if due is not None and due < TODAY and rng.random() < 0.7:
                achieved = due + timedelta(days=rng.randint(-60, 30))
            milestones.append(Milestone(task=task, kind=kind, year=year, achieved_on=achieved))
        owners = rng.sample(units, 2 if index % 3 == 0 else 1)
        for position, unit_id in enumerate(owners):
            role = "lead" if position == 0 and len(owners) > 1 else "owner"
            responsibilities.append(
                TaskResponsibility(task=task, unit_id=unit_id, role=role, name="单位")
            )
        if index % 10:  # 90 % assigned (交办)
            assigned_unit[task.pk] = owners[0]
            assignments.append(
                Assignment(
                    task=task,
                    unit_id=owners[0],
                    assigned_on=ASSIGNED + timedelta(days=rng.randint(0, 60)),
                    state="undertaken",
                    rating=rng.randint(1, 5) if index % 20 == 0 else None,
                )
            )
    Milestone.objects.bulk_create(milestones, batch_size=10000)
    TaskResponsibility.objects.bulk_create(responsibilities, batch_size=10000)
    Assignment.objects.bulk_create(assignments, batch_size=10000)
    reports = _reports(tasks, assigned_unit, report_count, rng)
    return {
        "tasks": len(tasks),
        "milestones": len(milestones),
        "responsibilities": len(responsibilities),
        "assignments": len(assignments),
        "reports": reports,
    }


def _reports(tasks, assigned_unit, report_count: int, rng) -> int:
    """``report_count`` reports spread over the assigned tasks, written in batches."""
    from shuzheng.tasks.models import ProgressReport

    assigned = [task for task in tasks if task.pk in assigned_unit]
    span = (TODAY - ASSIGNED).days
    written = 0
    batch = []
    for number in range(report_count):
        task = assigned[number % len(assigned)]
        day = ASSIGNED + timedelta(days=rng.randint(0, span))
        batch.append(
            ProgressReport(
                task=task,
                unit_id=assigned_unit[task.pk],
                reported_on=day,
                created_at=datetime(day.year, day.month, day.day, 9, tzinfo=UTC),
                text="本期进展",
                percent=rng.randint(0, 100),
            )
        )
        if len(batch) == 20000:
            ProgressReport.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    ProgressReport.objects.bulk_create(batch)
    return written + len(batch)


def timed_requests(client, path: str, count: int) -> dict[str, float]:
    durations = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(path)
        durations.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    durations.sort()
    p95 = durations[min(len(durations) - 1, round(0.95 * (len(durations) - 1)))]
    return {"median": statistics.median(durations), "p95": p95}


def bench_database(args) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from shuzheng import clock
    from shuzheng.accounts.models import User
    from shuzheng.dashboard.services import refresh_snapshot
    from shuzheng.orgs.services import load_sample_registry
    from shuzheng.tasks.services.lights import refresh_stale_lights

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        for table in LEDGER_TABLES:
            cursor.execute(f"DELETE FROM {table}")
    load_sample_registry()
    started = time.perf_counter()
    counts = generate(args.tasks, args.reports)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    generated = time.perf_counter() - started

    clock.set_now(TODAY)
    refresh_stale_lights(TODAY)  # bulk inserts store no light: the worker's refresh does
    refreshes = []
    for _ in range(2):
        started = time.perf_counter()
        snapshot = refresh_snapshot(TODAY)
        refreshes.append(time.perf_counter() - started)
    supervisor, _ = User.objects.get_or_create(
        username="bench_supervisor", defaults={"role": "supervisor"}
    )
    client = Client()
    client.force_login(supervisor)
    client.get("/dashboard/")  # warm caches: templates, URL resolver
    return {
        "counts": counts,
        "generate_s": generated,
        "refresh_s": min(refreshes),
        "lights": snapshot.summary["lights"],
        "page": timed_requests(client, "/dashboard/", args.requests),
        "drilldown": timed_requests(client, "/dashboard/tasks/?light=red", args.requests),
        "api": timed_requests(client, "/api/v1/dashboard/summary", args.requests),
    }


def _create_postgres_database(url: str) -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    conninfo = {
        "user": config["USER"],
        "host": config["HOST"],
        "port": config["PORT"],
        "password": config["PASSWORD"],
        **config.get("OPTIONS", {}),
        "dbname": "postgres",
    }
    with psycopg.connect(**{k: v for k, v in conninfo.items() if v}, autocommit=True) as conn:
        name = config["NAME"]
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} vCPU, Python {platform.python_version()}"


def report(results: dict, args) -> str:
    command = " ".join([".venv/bin/python", "bench/dashboard_bench.py", *sys.argv[1:]])
    first = next(iter(results.values()))["counts"]
    lines = [
        f"`{command}`",
        "",
        f"Machine: {machine()}. Ledger: {first['tasks']:,} tasks, {first['milestones']:,} "
        f"milestones, {first['assignments']:,} assignments, {first['reports']:,} progress "
        f"reports; judged as of {TODAY}; {args.requests} requests per page.",
        "",
        "| database | generate | status computation (snapshot) | dashboard page median / p95 "
        "| drill-down (red, page 1) median / p95 | summary API median / p95 |",
        "|---|---|---|---|---|---|",
    ]
    for label, result in results.items():
        lines.append(
            f"| {label} | {result['generate_s']:.0f} s | {result['refresh_s']:.1f} s "
            f"| {result['page']['median']:.1f} / {result['page']['p95']:.1f} ms "
            f"| {result['drilldown']['median']:.1f} / {result['drilldown']['p95']:.1f} ms "
            f"| {result['api']['median']:.1f} / {result['api']['p95']:.1f} ms |"
        )
    for label, result in results.items():
        lines.append(f"\n{label} lights as of {TODAY}: {json.dumps(result['lights'])}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--postgres", default=os.environ.get("SHUZHENG_BENCH_POSTGRES", ""))
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuzheng.settings")

    if args.backend:  # child process: one database per process (Django settings are global)
        print(json.dumps(bench_database(args)))
        return

    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    sqlite_file = bench_dir / "dashboard-bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
    targets = [("SQLite", "sqlite", f"sqlite:///{sqlite_file}")]
    if args.postgres:
        targets.append(("PostgreSQL", "postgresql", args.postgres))
    results = {}
    for label, backend, url in targets:
        if backend == "postgresql":
            _create_postgres_database(url)
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
