"""Large-file ingestion benchmark (issue 9, item 5): does a big upload block other writers?

    .venv/bin/python bench/large_ingest_bench.py [--megabytes 50] [--distinct-megabytes 5]

Old and new code cannot run in one process, so each ingestion is compared with a peer in
the same run: a writer process that commits one small row every 50 ms into the same SQLite
file database (WAL, busy timeout 20 s: the platform's settings, like `make run`) — a report
POST's write. It runs for a baseline period with no ingestion, then during each ingestion.
Reported per file:

* parse and prepare time (no transaction open), and the write transaction's length (the
  write lock: from the "writing" phase to the end) — from ``ingest_file``'s ``progress``;
* the peer's write latency (median, 99th percentile, maximum) and the writes that failed
  with "database is locked", against the baseline's;
* the ingesting process's peak resident memory (each ingestion in a fresh process).

Two files: ``--megabytes`` of the sample gazette repeated as it is (the issue's
reproduction: the repetitions are the same documents, stored once), and
``--distinct-megabytes`` of it with every repetition's documents renumbered and retitled,
so that every document, section, task and index entry is new (the write's worst case).
Prints a Markdown table for docs/benchmarks.md ("Large files"). Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "samples" / "ningxia-gazette-2023-10.txt"
BENCH_DIR = ROOT / "var" / "bench"
#: The platform's SQLite busy timeout (settings.SQLITE_OPTIONS): a writer waits this long.
BUSY_TIMEOUT = 20
PEER_INTERVAL = 0.05


def repeated(megabytes: float, distinct: bool) -> bytes:
    """The sample gazette repeated up to ``megabytes``; ``distinct``: each repetition's
    documents get their own number and title, so none is a version of another."""
    text = SAMPLE.read_text(encoding="utf-8")
    copies = max(1, round(megabytes * 1e6 / len(text.encode())))
    parts = []
    for n in range(copies):
        part = text
        if distinct:
            part = part.replace("宁政发〔2023〕17号", f"宁政发〔2023〕{1000 + n}号")
            part = part.replace(
                "关于深化生态保护补偿制度改革", f"关于深化第{n + 1}批生态保护补偿制度改革"
            )
        parts.append(part)
    return "\n\n".join(parts).encode()


# -- the peer: a separate process writing small rows --------------------------------------


def run_peer(database: Path, stop_file: Path, out: Path) -> None:
    """Commit one row every PEER_INTERVAL until ``stop_file`` exists; write the latencies."""
    connection = sqlite3.connect(database, timeout=BUSY_TIMEOUT, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE IF NOT EXISTS bench_peer (id INTEGER PRIMARY KEY, at REAL)")
    latencies, failures = [], []
    while not stop_file.exists():
        started = time.perf_counter()
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("INSERT INTO bench_peer (at) VALUES (?)", (time.time(),))
            connection.execute("COMMIT")
            latencies.append(time.perf_counter() - started)
        except sqlite3.OperationalError as exc:
            failures.append(str(exc))
            if connection.in_transaction:
                connection.execute("ROLLBACK")
        time.sleep(PEER_INTERVAL)
    out.write_text(json.dumps({"latencies": latencies, "failures": failures}))


class Peer:
    def __init__(self, database: Path, name: str):
        self.stop_file = BENCH_DIR / f"{name}.stop"
        self.out = BENCH_DIR / f"{name}.json"
        self.stop_file.unlink(missing_ok=True)
        self.out.unlink(missing_ok=True)
        command = [sys.executable, __file__, "--peer", str(database), str(self.stop_file)]
        self.process = subprocess.Popen([*command, str(self.out)])

    def stop(self) -> dict:
        self.stop_file.touch()
        self.process.wait(timeout=BUSY_TIMEOUT + 30)
        return json.loads(self.out.read_text())


# -- the ingesting process ---------------------------------------------------------------


def run_ingest(path: Path) -> None:
    """In a fresh process: ingest ``path``, print the phases' times and the peak memory."""
    import django

    django.setup()
    from shuzheng.documents.services import ingest_file

    data = path.read_bytes()
    marks = {"start": time.perf_counter()}
    report = ingest_file(
        data,
        path.name,
        actor=None,
        progress=lambda phase: marks.setdefault(phase, time.perf_counter()),
    )
    marks["end"] = time.perf_counter()
    del data
    print(
        json.dumps(
            {
                "status": report.status,
                "documents": report.count("created") + report.count("new_version"),
                "tasks": report.tasks,
                "prepare": marks["writing"] - marks["start"],
                "write": marks["end"] - marks["writing"],
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def summary(peer: dict) -> dict:
    latencies = sorted(peer["latencies"]) or [0.0]
    return {
        "writes": len(peer["latencies"]),
        "median_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "max_ms": latencies[-1] * 1000,
        "failed": len(peer["failures"]),
    }


def prepare_database(database: Path, env: dict) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    setup = (
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('migrate', verbosity=0); "
        "from shuzheng.orgs.services import load_sample_registry; load_sample_registry()"
    )
    subprocess.run([sys.executable, "-c", setup], env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=50)
    parser.add_argument("--distinct-megabytes", type=float, default=5)
    parser.add_argument("--baseline-seconds", type=float, default=10)
    parser.add_argument("--peer", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--ingest", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer:
        run_peer(*map(Path, args.peer))
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuzheng.settings")
    if args.ingest:
        run_ingest(Path(args.ingest))
        return

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    database = BENCH_DIR / "large-ingest.sqlite3"
    env = {
        **os.environ,
        "SHUZHENG_DATABASE_URL": f"sqlite:///{database}",
        "SHUZHENG_VAR_DIR": str(BENCH_DIR),
        "SHUZHENG_INGEST_MAX_MB_TEXT": str(int(max(args.megabytes, args.distinct_megabytes)) + 1),
    }
    prepare_database(database, env)

    peer = Peer(database, "baseline")
    time.sleep(args.baseline_seconds)
    rows = [("no ingestion (baseline)", None, summary(peer.stop()))]
    for label, megabytes, distinct in (
        ("repeated", args.megabytes, False),
        ("distinct", args.distinct_megabytes, True),
    ):
        path = BENCH_DIR / f"large-{label}.txt"
        path.write_bytes(repeated(megabytes, distinct))
        size = path.stat().st_size / 1e6
        peer = Peer(database, label)
        time.sleep(1)
        done = subprocess.run(
            [sys.executable, __file__, "--ingest", str(path)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        ingest = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append((f"{size:.1f} MB, {label}", ingest, summary(peer.stop())))
        path.unlink()

    print(
        "| during | documents / tasks stored | parse + prepare (no lock) | write transaction "
        "| peak RSS | peer writes | peer median / p99 / max | peer writes failed |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for label, ingest, peer_row in rows:
        if ingest is None:
            stored = prepare = write = peak = "—"
        else:
            stored = f"{ingest['documents']:,} / {ingest['tasks']:,}"
            prepare = f"{ingest['prepare']:.1f} s"
            write = f"{ingest['write']:.1f} s"
            peak = f"{ingest['peak_mb']:,.0f} MB"
        print(
            f"| {label} | {stored} | {prepare} | {write} | {peak} | {peer_row['writes']} "
            f"| {peer_row['median_ms']:.1f} / {peer_row['p99_ms']:.0f} / "
            f"{peer_row['max_ms']:,.0f} ms | {peer_row['failed']} |"
        )


if __name__ == "__main__":
    main()
