"""Change-feed delay benchmark (issue 16, point 4, bench b: "change-feed delay p50/p99 under a
sustained 1,000 changes/s for 60 s — goal p99 under 1 s"; seed task 38 asks for a minute).

    .venv/bin/python bench/exchange_feed_bench.py [--rate 1000] [--seconds 60]
        [--batch-ms 50] [--postgres postgres://postgres@/shuzheng_feed_bench?host=/tmp/pg]

On a fresh database (PostgreSQL when ``--postgres`` names one the script may drop and create,
else SQLite in var/bench/exchange-feed/), a provider's published table gets a webhook
subscriber (a local HTTP server) and a cursor subscriber. A writer thread applies
``--rate`` changes a second through the one writer of rows
(``exchange.table_services.apply_row_changes``: one transaction with the row-change hook
that writes the outbox), in a batch every ``--batch-ms``. At the same time:

- *webhook*: a worker thread runs the feed's job function (``feed_services.deliver_feed``)
  every 50 ms — what ``shuzheng worker --interval 0.05`` does once woken — and the receiver
  takes each change's delay from its ``written_at`` to its arrival;
- *cursor*: a consumer pulls ``feed_services.pull`` with its cursor every 100 ms;
- *bare poll* (the peer): a loop selects the outbox's new rows every 50 ms, no grant, no
  cursor, no HTTP: the floor any feed over this outbox pays.

Prints one Markdown row per consumer: changes received, lost or repeated, p50/p99/max delay,
and the achieved write rate, with the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench_databases import child_env, fresh_database

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench" / "exchange-feed"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=1000, help="changes per second")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--batch-ms", type=int, default=50)
    parser.add_argument("--postgres", default="")
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        return child(args)
    VAR.mkdir(parents=True, exist_ok=True)
    url = args.postgres or f"sqlite:///{VAR / 'bench.sqlite3'}"
    fresh_database(url, [VAR / "bench.sqlite3"])
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
        f"database: {'PostgreSQL' if args.postgres else 'SQLite'}"
    )
    print(f"load average before: {os.getloadavg()}")
    command = [
        sys.executable,
        __file__,
        "--child",
        "--rate",
        str(args.rate),
        "--seconds",
        str(args.seconds),
        "--batch-ms",
        str(args.batch_ms),
    ]
    subprocess.run(command, env=child_env(url), check=True)
    print(f"load average after: {os.getloadavg()}")
    return 0


def child(args) -> int:
    import datetime as dt
    import http.server

    import django

    django.setup()
    from django.conf import settings
    from django.db import close_old_connections, connection

    from shuzheng import clock
    from shuzheng.catalog import services as catalog
    from shuzheng.catalog.models import ResourceCategory
    from shuzheng.exchange import feed_services
    from shuzheng.exchange.choices import FeedChannel
    from shuzheng.exchange.feed_models import FeedChange
    from shuzheng.exchange.feed_rules import percentile
    from shuzheng.exchange.models import Grant, PublishedTable
    from shuzheng.exchange.table_services import apply_row_changes
    from shuzheng.orgs.models import Region, Unit

    settings.NOTIFICATIONS_WEBHOOK_ALLOW = ["127.0.0.1"]
    region = Region.objects.create(code="649700", name="Bench", level="city")
    provider = Unit.objects.create(code="b-p", name="提供", kind="department", region=region)
    consumer = Unit.objects.create(code="b-c", name="使用", kind="department", region=region)
    category = None
    for code, level in (("3", "class"), ("396", "item"), ("396001", "category")):
        category = ResourceCategory.objects.create(
            code=code, name="基准", level=level, parent=category, slug=f"bench-{code}"
        )
    columns = [{"name": f"c{i}", "type": "text", "title": f"列{i}"} for i in range(5)]
    resource = catalog.register_resource(
        actor=None,
        data=catalog.ResourceInput(
            title="变更基准",
            category=category,
            provider=provider,
            summary="基准。",
            share_type="conditional",
            open_type="none",
            update_frequency="realtime",
            name="feed-bench",
            fields=[
                catalog.FieldInput(name=c["title"], column=c["name"], data_type="string")
                for c in columns
            ],
        ),
    )
    now = clock.now()
    table = PublishedTable.objects.create(
        resource=resource,
        source="sync",
        columns=columns,
        primary_key=["c0"],
        created_at=now,
        modified_at=now,
    )
    Grant.objects.create(
        consumer=consumer,
        resource=resource,
        columns=[c["name"] for c in columns],
        purpose="基准",
        expires_at=now + dt.timedelta(days=1),
        granted_at=now,
    )

    received = {"webhook": [], "cursor": [], "bare poll": []}  # (position, delay_s)
    lock = threading.Lock()

    def note(kind, position, written_at):
        delay = (
            time.time() - dt.datetime.fromisoformat(written_at).timestamp()
            if isinstance(written_at, str)
            else time.time() - written_at.timestamp()
        )
        with lock:
            received[kind].append((position, delay))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            for change in body["changes"]:
                note("webhook", change["position"], change["written_at"])
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    feed_services.subscribe(
        consumer=consumer,
        table=table,
        channel=FeedChannel.PUSH,
        webhook_url=f"http://127.0.0.1:{server.server_address[1]}/feed",
    )
    pulled, _ = feed_services.subscribe(consumer=consumer, table=table, channel=FeedChannel.PULL)
    start_position = pulled.start_position
    stop = threading.Event()
    written = [0]

    def writer():
        per_batch = max(1, round(args.rate * args.batch_ms / 1000))
        started = time.monotonic()
        batch = 0
        while time.monotonic() - started < args.seconds:
            rows = [
                {f"c{i}": f"{written[0] + n}-{i}" if i else str(written[0] + n) for i in range(5)}
                for n in range(per_batch)
            ]
            apply_row_changes(table, rows)
            written[0] += per_batch
            batch += 1
            pause = started + batch * args.batch_ms / 1000 - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        connection.close()

    def worker():
        while not stop.is_set():
            feed_services.deliver_feed()
            stop.wait(0.05)
        connection.close()

    def cursor_consumer():
        cursor = None
        subscription = type(pulled).objects.select_related("table__resource").get(pk=pulled.pk)
        while not stop.is_set():
            while True:
                page = feed_services.pull(subscription, cursor, limit=1000)
                for change in page.changes:
                    note("cursor", change["position"], change["written_at"])
                cursor = page.cursor
                if not page.more:
                    break
            stop.wait(0.1)
        connection.close()

    def bare_poll():
        position = start_position
        while not stop.is_set():
            for pk, written_at in (
                FeedChange.objects.filter(table_id=table.pk, id__gt=position)
                .order_by("id")
                .values_list("id", "written_at")
            ):
                note("bare poll", pk, written_at)
                position = pk
            stop.wait(0.05)
        connection.close()

    threads = [threading.Thread(target=t) for t in (worker, cursor_consumer, bare_poll)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    write_thread = threading.Thread(target=writer)
    write_thread.start()
    write_thread.join()
    elapsed = time.monotonic() - started
    time.sleep(3)  # let the consumers drain
    stop.set()
    for thread in threads:
        thread.join()
    close_old_connections()
    print(
        f"\nwrote {written[0]} changes in {elapsed:.1f} s: {written[0] / elapsed:.0f} changes/s "
        f"(asked {args.rate}/s for {args.seconds:g} s, batches every {args.batch_ms} ms)\n"
    )
    print("| consumer | received | lost | repeated | p50 delay | p99 delay | max delay |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind, items in received.items():
        positions = [p for p, _d in items]
        delays = [d * 1000 for _p, d in items]
        lost = written[0] - len(set(positions))
        repeated = len(positions) - len(set(positions))
        p50, p99 = percentile(delays, 0.5), percentile(delays, 0.99)
        print(
            f"| {kind} | {len(items)} | {lost} | {repeated} | {p50 or 0:.0f} ms | "
            f"{p99 or 0:.0f} ms | {max(delays, default=0):.0f} ms |"
        )
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
