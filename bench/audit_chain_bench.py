"""Audit chain benchmark (issue 10, point 5): what chaining costs a write, and how fast
``shuzheng audit verify`` walks the chain.

    .venv/bin/python bench/audit_chain_bench.py [--writes 300] [--rounds 5]
        [--verify-events 20000] [--postgres postgres://postgres@/shuzheng_bench?host=/tmp/pg]

On a fresh database (SQLite in var/bench/audit/, and PostgreSQL when ``--postgres`` names one
the script may drop and create), two write loops, each run with the chain and without it in
alternating rounds of ``--writes`` calls, so that both see the same load:

- ``record_change``: one event per call, the size of a small service's (a dict of 3 fields);
- ``change_role``: the accounts service as an administrator uses it — the user saved, its
  before/after snapshots (about 20 fields each) recorded, in one transaction.

"Without" is the write path as it was before the chain: the event inserted as it is, no head
locked, no hash (``unchained_record_change`` below; same fields, sequence from a counter).
"With" is ``record_change`` as it is: since the chaining moved off the write path it inserts
the event only, and after each round ``chain_pending_events`` — the worker's job — chains the
round's events; its cost per event is the last column (paid by the worker, not the writer).
Then ``--verify-events`` events are chained (bulk-inserted with their hashes) and
``services.verify_chain`` walks them: events per second. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_databases import child_env, fresh_database

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench" / "audit"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--verify-events", type=int, default=20000)
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
        "| database | loop | writes | without chain (ms/write) | with chain (ms/write) | overhead"
        " | chaining by the worker (ms/event) |"
    )
    print("|---|---|---|---|---|---|---|")
    verify_lines = []
    for name, url in databases:
        fresh(url)
        env = child_env(url)
        output = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                name,
                "--writes",
                str(args.writes),
                "--rounds",
                str(args.rounds),
                "--verify-events",
                str(args.verify_events),
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for line in output.splitlines():
            if line.startswith("| verify"):
                verify_lines.append(line)
            elif line.startswith("|"):
                print(line)
    print()
    print("| verify | database | events | seconds | events/s |")
    print("|---|---|---|---|---|")
    for line in verify_lines:
        print(line)
    print(f"load after: {os.getloadavg()}")
    return 0


def fresh(url: str) -> None:
    fresh_database(url, [VAR / "bench.sqlite3"])


def child(args) -> int:
    import django

    django.setup()
    from django.db import transaction

    from shuzheng.accounts import services as accounts
    from shuzheng.accounts.models import User
    from shuzheng.audit import services as audit
    from shuzheng.audit.models import AuditEvent

    counter = itertools.count(10**12)
    chained_record_change = audit.record_change

    def unchained_record_change(
        *,
        actor,
        action,
        obj=None,
        object_type=None,
        object_id=None,
        object_repr=None,
        before=None,
        after=None,
        remote_addr=None,
    ):
        # The write path before the chain (audit/services.py before issue 10, point 5).
        if obj is not None:
            object_type = object_type or obj._meta.label_lower
            object_id = obj.pk if object_id is None else object_id
            object_repr = object_repr or str(obj)
        authenticated = actor is not None and getattr(actor, "is_authenticated", False)
        return AuditEvent.objects.create(
            sequence=next(counter),
            prev_hash="",
            hash="",
            actor=actor if authenticated else None,
            actor_name=actor.get_username() if authenticated else "system",
            action=action,
            object_type=object_type or "",
            object_id="" if object_id is None else str(object_id),
            object_repr=(object_repr or "")[:200],
            before=before,
            after=after,
            remote_addr=remote_addr,
        )

    admin = User.objects.create(username="bench_admin", role="administrator")
    person = User.objects.create(username="bench_person", role="citizen")

    def record_loop(record):
        for i in range(args.writes):
            with transaction.atomic():
                record(
                    actor=admin,
                    action="bench.touch",
                    object_type="bench",
                    object_id=i,
                    after={"n": i, "status": "open", "title": "黄河宁夏段干支流治理"},
                )

    def role_loop(record):
        accounts.record_change = record
        try:
            for i in range(args.writes):
                accounts.change_role(person, "enterprise" if i % 2 else "citizen", actor=admin)
        finally:
            accounts.record_change = chained_record_change

    for label, loop in (("record_change", record_loop), ("change_role", role_loop)):
        timings = {"without": [], "with": [], "chaining": []}
        for _ in range(args.rounds):
            for variant, record in (
                ("without", unchained_record_change),
                ("with", chained_record_change),
            ):
                started = time.perf_counter()
                loop(record)
                timings[variant].append((time.perf_counter() - started) / args.writes * 1000)
            # What the worker then does for the round's events, off the write path.
            started = time.perf_counter()
            chained = audit.chain_pending_events()
            timings["chaining"].append((time.perf_counter() - started) / chained * 1000)
        without, with_ = statistics.median(timings["without"]), statistics.median(timings["with"])
        chaining = statistics.median(timings["chaining"])
        print(
            f"| {args.child} | {label} | {args.writes} × {args.rounds} | {without:.2f} |"
            f" {with_:.2f} | {100 * (with_ / without - 1):+.0f} % | {chaining:.3f} |"
        )

    # A chain of --verify-events events for verify, written in bulk with their hashes.
    from django.utils import timezone

    from shuzheng.audit import chain
    from shuzheng.audit.models import ChainHead

    AuditEvent.objects.all().delete()
    prev, batch = chain.GENESIS, []
    now = timezone.now()
    for sequence in range(1, args.verify_events + 1):
        values = {
            "sequence": sequence,
            "at": now,
            "actor_name": "bench_admin",
            "action": "bench.touch",
            "object_type": "bench",
            "object_id": str(sequence),
            "object_repr": f"事项 {sequence}",
            "before": {"status": "open"},
            "after": {"status": "done", "n": sequence},
            "remote_addr": "10.0.0.1",
        }
        digest = chain.entry_hash(prev, audit.hashed_values(values))
        batch.append(AuditEvent(prev_hash=prev, hash=digest, **values))
        prev = digest
        if len(batch) == 5000:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    AuditEvent.objects.bulk_create(batch)
    ChainHead.objects.update_or_create(
        pk=1, defaults={"sequence": args.verify_events, "hash": prev}
    )
    started = time.perf_counter()
    walk = audit.verify_chain()
    seconds = time.perf_counter() - started
    assert walk.broken is None and walk.entries == args.verify_events, walk
    print(
        f"| verify | {args.child} | {walk.entries} | {seconds:.1f} | {walk.entries / seconds:,.0f} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
