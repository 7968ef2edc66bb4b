"""Message log benchmark (issue 16, point 3: "logging is asynchronous enough that it does
not halve throughput"; X-Road's time-stamping lock on its message log is the complaint to
avoid): what recording one answered data-API call costs the caller, and how fast
``shuzheng exchange verify-log`` walks the chain.

    .venv/bin/python bench/exchange_log_bench.py [--calls 2000] [--rounds 3]
        [--verify-entries 50000] [--postgres postgres://postgres@/shuzheng_bench?host=/tmp/pg]

On a fresh database (SQLite in var/bench/exchange-log/, and PostgreSQL when ``--postgres``
names one the script may drop and create), ``--calls`` calls are handed to
``exchange.hooks.call_answered`` one after the other, in alternating rounds, by each way:

- *no log*: no recorder registered (the floor: building the call and the hook's loop);
- *lock per call* (the peer, X-Road's way): each call its own transaction that locks the
  chain head, chains the entry and inserts it;
- *unchained insert*: what the recorder does outside the production server (and with
  ``EXCHANGE_LOG_FLUSH_MS=0``): one insert, no lock; the worker chains later — its cost per
  entry is measured after the round;
- *buffered*: what the production server does: the call appended to the process's buffer, a
  thread writing batches every 200 ms; the caller's cost, then the time until the buffer is
  on disk.

Then ``--verify-entries`` entries are chained and ``verify_log`` walks them: entries per
second. Prints Markdown tables, with the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_databases import child_env, fresh_database

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench" / "exchange-log"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--verify-entries", type=int, default=50000)
    parser.add_argument("--postgres", default="")
    parser.add_argument("--child", default="")
    args = parser.parse_args()
    if args.child:
        return child(args)
    VAR.mkdir(parents=True, exist_ok=True)
    databases = [("SQLite", f"sqlite:///{VAR / 'bench.sqlite3'}")]
    if args.postgres:
        databases.append(("PostgreSQL", args.postgres))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; load {os.getloadavg()}")
    print(
        "| database | calls | no log (ms/call) | lock per call (peer) | unchained insert"
        " | worker chains it (ms/entry) | buffered (caller) | buffered: on disk after (ms) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    verify_lines = []
    for name, url in databases:
        fresh_database(url, [VAR / "bench.sqlite3"])
        command = [
            sys.executable, __file__, "--child", name, "--calls", str(args.calls),
            "--rounds", str(args.rounds), "--verify-entries", str(args.verify_entries),
        ]  # fmt: skip
        output = subprocess.run(
            command, env=child_env(url), check=True, capture_output=True, text=True
        ).stdout
        for line in output.splitlines():
            if line.startswith("| verify"):
                verify_lines.append(line)
            elif line.startswith("|"):
                print(line, flush=True)
    print()
    print("| verify | database | entries | seconds | entries/s |")
    print("|---|---|---|---|---|")
    for line in verify_lines:
        print(line)
    print(f"load after: {os.getloadavg()}")
    return 0


def child(args) -> int:
    import django

    django.setup()
    from django.utils import timezone

    from shuzheng.exchange import hooks, log_services
    from shuzheng.exchange.hooks import AnsweredCall
    from shuzheng.exchange.log_models import MessageLogEntry

    def answered(n: int) -> AnsweredCall:
        return AnsweredCall(
            at=timezone.now(),
            consumer_id=7,
            token_id=11,
            grant_id=13,
            resource_code="NX-640000-0001",
            method="GET",
            path="/api/v1/exchange/resources/NX-640000-0001/rows",
            query=f"filter=region:640100&select=name,address&cursor={n}",
            status=200,
            response_digest=f"{n:064x}",
            rows=50,
        )

    def lock_per_call(call: AnsweredCall) -> None:
        log_services._append_chained([log_services.entry_for(call)])

    def run(recorder) -> float:
        hooks._call_recorders[:] = [recorder] if recorder else []
        started = time.perf_counter()
        for n in range(args.calls):
            hooks.call_answered(answered(n))
        return (time.perf_counter() - started) / args.calls * 1000

    timings: dict[str, list[float]] = {
        "none": [], "lock": [], "insert": [], "chain": [], "buffered": [], "drain": [],
    }  # fmt: skip
    for _ in range(args.rounds):
        timings["none"].append(run(None))
        timings["lock"].append(run(lock_per_call))
        timings["insert"].append(run(log_services.record_call))
        started = time.perf_counter()
        chained = log_services.chain_pending_entries()
        timings["chain"].append((time.perf_counter() - started) / chained * 1000)
        log_services.buffer_calls(200)
        before = MessageLogEntry.objects.count()
        timings["buffered"].append(run(log_services.record_call))
        started = time.perf_counter()
        while MessageLogEntry.objects.count() < before + args.calls:
            time.sleep(0.005)
        timings["drain"].append((time.perf_counter() - started) * 1000)
        log_services.stop_buffering()
    med = {key: statistics.median(values) for key, values in timings.items()}
    print(
        f"| {args.child} | {args.calls} × {args.rounds} | {med['none']:.3f} | {med['lock']:.3f} |"
        f" {med['insert']:.3f} | {med['chain']:.3f} | {med['buffered']:.3f} |"
        f" {med['drain']:.0f} |"
    )

    # --verify-entries entries, written unchained in bulk and chained as the worker does.
    hooks._call_recorders[:] = [log_services.record_call]
    batch = []
    for n in range(args.verify_entries):
        batch.append(answered(n))
        if len(batch) == 5000:
            log_services.record_calls(batch)
            batch = []
    log_services.record_calls(batch)
    log_services.chain_pending_entries()
    started = time.perf_counter()
    walk = log_services.verify_log()
    seconds = time.perf_counter() - started
    assert walk.broken is None, walk
    print(
        f"| verify | {args.child} | {walk.entries} | {seconds:.1f} |"
        f" {walk.entries / seconds:,.0f} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
