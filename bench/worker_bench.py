"""Worker benchmark (issue 8, item 5): the queue of Django's Tasks framework on django-tasks-db
(SQLite and PostgreSQL) and, for the comparison, procrastinate (PostgreSQL only).

    .venv/bin/python bench/worker_bench.py [--jobs 1000] [--samples 30]
        [--postgres postgres://postgres@/shuzheng_bench?host=/tmp/pgdev] [--procrastinate]

For each backend and database: a fresh database (migrated; var/bench/worker/ for SQLite),
``--jobs`` no-op jobs enqueued (enqueue/s, one job per call as the platform enqueues), one
worker process started — ``shuzheng worker --no-schedule`` (its default 1 s poll of an empty
queue), or ``procrastinate worker`` (LISTEN/NOTIFY) — and its throughput taken from the
database's own timestamps (jobs / (last finish - first start)). Then ``--samples`` single jobs,
each enqueued while the worker idles, a random 0-1 s apart: the enqueue→start latency, again
from the database's timestamps. procrastinate needs ``pip install procrastinate`` (it is not
a dependency of the platform). Prints a Markdown table for docs/benchmarks.md ("Worker").
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
from pathlib import Path

import bench_databases

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench" / "worker"


def child_env(database_url: str, **extra: str) -> dict[str, str]:
    return bench_databases.child_env(database_url, SHUZHENG_VAR_DIR=str(VAR), **extra)


def measure_in_child(backend: str, database_url: str, jobs: int, samples: int) -> dict:
    """Run this script as ``--child`` on that database (Django is set up once per process)."""
    output = subprocess.run(
        [sys.executable, __file__, "--child", backend, "--database", database_url,
         "--jobs", str(jobs), "--samples", str(samples)],
        env=child_env(database_url), check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(output.strip().splitlines()[-1])


def fresh_database(database_url: str) -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    bench_databases.fresh_database(database_url, list(VAR.glob("worker.sqlite3*")))


def wait_until(condition, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("the worker did not finish in time")
        time.sleep(0.05)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)


def django_tasks_db(database_url: str, jobs: int, samples: int) -> dict:
    import django

    django.setup()
    from django.db.models import Max, Min
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult
    from worker_jobs import noop

    started = time.perf_counter()
    for i in range(jobs):
        noop.enqueue(i)
    enqueue_seconds = time.perf_counter() - started

    def finished() -> int:
        return DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count()

    worker = subprocess.Popen(
        [sys.executable, "-m", "shuzheng", "worker", "--no-schedule"],
        env=child_env(database_url), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until(lambda: finished() == jobs)
        span = DBTaskResult.objects.aggregate(first=Min("started_at"), last=Max("finished_at"))
        latencies = []
        for i in range(samples):
            time.sleep(random.random())
            result = noop.enqueue(jobs + i)
            wait_until(lambda done=jobs + i + 1: finished() == done)
            row = DBTaskResult.objects.get(pk=result.id)
            latencies.append((row.started_at - row.enqueued_at).total_seconds())
    finally:
        stop(worker)
    return report(jobs, enqueue_seconds, (span["last"] - span["first"]).total_seconds(), latencies)


def procrastinate(database_url: str, jobs: int, samples: int) -> dict:

    conninfo = database_url
    os.environ["BENCH_PROCRASTINATE_CONNINFO"] = conninfo
    import psycopg
    import worker_jobs

    app = worker_jobs.procrastinate_app()
    with app.open():
        app.schema_manager.apply_schema()
        task = app.tasks["noop"]
        started = time.perf_counter()
        for i in range(jobs):
            task.defer(i=i)
        enqueue_seconds = time.perf_counter() - started

    def scalar(query: str):
        with psycopg.connect(conninfo) as connection:
            return connection.execute(query).fetchone()[0]

    def finished() -> int:
        return scalar("SELECT count(*) FROM procrastinate_jobs WHERE status = 'succeeded'")

    worker = subprocess.Popen(
        [sys.executable, "-m", "procrastinate", "--app=worker_jobs.app", "worker"],
        env=child_env(database_url, BENCH_PROCRASTINATE_CONNINFO=conninfo),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until(lambda: finished() == jobs)
        span = scalar(
            "SELECT extract(epoch FROM max(at) FILTER (WHERE type = 'succeeded')"
            " - min(at) FILTER (WHERE type = 'started')) FROM procrastinate_events"
        )
        latencies = []
        with app.open():
            for i in range(samples):
                time.sleep(random.random())
                job_id = app.tasks["noop"].defer(i=jobs + i)
                wait_until(lambda done=jobs + i + 1: finished() == done)
                latencies.append(
                    float(
                        scalar(
                            "SELECT extract(epoch FROM max(at) FILTER (WHERE type = 'started')"
                            " - min(at) FILTER (WHERE type = 'deferred')) FROM procrastinate_events"
                            f" WHERE job_id = {int(job_id)}"
                        )
                    )
                )
    finally:
        stop(worker)
    return report(jobs, enqueue_seconds, float(span), latencies)


def report(jobs: int, enqueue_seconds: float, run_seconds: float, latencies: list[float]) -> dict:
    latencies.sort()
    return {
        "enqueue_per_s": jobs / enqueue_seconds,
        "jobs_per_s": jobs / run_seconds,
        "latency_median_ms": statistics.median(latencies) * 1000,
        "latency_p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--postgres", default=os.environ.get("SHUZHENG_BENCH_POSTGRES"))
    parser.add_argument("--procrastinate", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure = {"django-tasks-db": django_tasks_db, "procrastinate": procrastinate}
        print(json.dumps(measure[args.child](args.database, args.jobs, args.samples)))
        return

    runs = [("django-tasks-db", "SQLite", f"sqlite:///{VAR / 'worker.sqlite3'}")]
    if args.postgres:
        runs.append(("django-tasks-db", "PostgreSQL", args.postgres))
        if args.procrastinate:
            runs.append(("procrastinate", "PostgreSQL", args.postgres))
    rows = []
    for backend, database, url in runs:
        fresh_database(url)
        rows.append((backend, database, measure_in_child(backend, url, args.jobs, args.samples)))
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}; "
        f"{args.jobs} jobs, {args.samples} latency samples\n"
    )
    print("| backend | database | enqueue/s | jobs/s (one worker) | enqueue→start median | p95 |")
    print("|---|---|---:|---:|---:|---:|")
    for backend, database, found in rows:
        print(
            f"| {backend} | {database} | {found['enqueue_per_s']:.0f} | {found['jobs_per_s']:.0f} "
            f"| {found['latency_median_ms']:.0f} ms | {found['latency_p95_ms']:.0f} ms |"
        )


if __name__ == "__main__":
    main()
