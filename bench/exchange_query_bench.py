"""Data-API query throughput (issue 16, benchmark (c)): ``GET /api/v1/exchange/data/<name>/rows``
with its token, grant checks and message log on, against the same page with them off, behind
the production server in the same run.

    .venv/bin/python bench/exchange_query_bench.py [--rows 10000] [--seconds 10]
        [--connections 8] [--workers 2] [--limit 20] [--database-url postgres://…]

Prepares a throwaway installation under var/bench/exchange-query/ (or uses the database
``--database-url`` names): migrate, ``loadsample``, and the query bench table of
bench/exchange_bench_data.py (10 columns, ``--rows`` rows; the sample consumer granted nine
columns of two of its five counties). Starts the production server the way ``shuzheng
serve`` does (gunicorn, ``--preload``, access log on, the message log buffered;
``shuzheng.management.commands.serve.web_server``) on an application that also serves the
"off" side (bench/exchange_peer.py ``/bench/peer-rows/``: the same page of the same rows —
the same filters, fields and JSON body — with the grant read once per process and no token,
no grant check, no message log per request; registered only by the bench). wrk asks each in
turn for pages of ``--limit`` rows at a rotation of offsets: warm-up (sequential requests,
then 3 s of wrk), then the measured run. Reports requests/s, requests per CPU-second of the
server's processes (from /proc: fair when other work shares the machine), latency
percentiles, non-2xx answers, the message log entries written for the product's run, and
the cost of the checks and the log (1 − on/off, per CPU-second). Prints a Markdown table for
docs/benchmarks.md ("Exchange data-API queries"). Not a test: the numbers depend on the
machine and its load (printed).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from exchange_bench_data import environment, prepare
from server_bench import cpu_seconds, free_port, stop, wait_until_serving, wrk

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench" / "exchange-query"


def lua_script(token: str, rows: int, limit: int) -> str:
    """wrk's script: the token on every request, each asking the page after the next offset
    of a rotation over the table (keyset paging by row id)."""
    return f"""
local counter = 0
wrk.headers["Authorization"] = "Bearer {token}"
request = function()
  counter = counter + 1
  local after = (counter * 7919) % {max(1, rows - 10 * limit)}
  return wrk.format(nil, wrk.path .. "&after=" .. after)
end
"""


def log_entries(env: dict) -> int:
    code = "from shuzheng.exchange.log_models import MessageLogEntry as E; print(E.objects.count())"
    output = subprocess.run(
        [sys.executable, "-m", "shuzheng", "shell", "--no-imports", "-c", code],
        env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return int(output.strip().splitlines()[-1])


def get_sequentially(url: str, token: str, count: int) -> None:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    for _ in range(count):
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--database-url", help="default: SQLite under var/bench/exchange-query/")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuzheng.settings")
    from shuzheng.management.commands.serve import web_server

    env = environment(VAR, args.database_url)
    name, token = prepare(env, "query", args.rows)
    port = free_port()
    command = web_server(f"127.0.0.1:{port}", args.workers, dev=False)
    command[command.index("shuzheng.wsgi:warm_application()")] = "exchange_peer:application()"
    targets = {
        "data API rows, checks and log on (product)": f"/api/v1/exchange/data/{name}/rows",
        "same page, checks and log off (peer)": f"/bench/peer-rows/{name}",
    }
    load_before = os.getloadavg()[0]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(lua_script(token, args.rows, args.limit))
    results = []
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        wait_until_serving(port, server, timeout=120)
        for target, path in targets.items():
            url = f"http://127.0.0.1:{port}{path}?limit={args.limit}"
            get_sequentially(url, token, 8 * args.workers)
            wrk(url, "", 3, args.connections, extra=["-s", handle.name])
            time.sleep(1)
            logged_before = log_entries(env)
            cpu_before = cpu_seconds(server.pid)
            found = wrk(url, "", args.seconds, args.connections, extra=["-s", handle.name])
            cpu = cpu_seconds(server.pid) - cpu_before
            # The buffer is flushed every 200 ms; wait for the last batch.
            time.sleep(2)
            found["logged"] = log_entries(env) - logged_before
            found["per_cpu_s"] = found["requests"] / cpu if cpu else 0
            results.append((target, found))
    finally:
        stop(server)
        os.unlink(handle.name)
    database = "PostgreSQL" if args.database_url else "SQLite (WAL)"
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after, {database}"
    )
    print(
        f"wrk -t2 -c{args.connections} -d{args.seconds}s, pages of {args.limit} rows of a "
        f"{args.rows:,}-row table, gunicorn as `shuzheng serve` starts it, {args.workers} "
        "worker processes\n"
    )
    print(
        "| endpoint | requests/s | requests per CPU-second | p50 | p99 | non-2xx "
        "| log entries written |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for target, found in results:
        print(
            f"| {target} | {found['rps']} | {found['per_cpu_s']:.1f} | {found['p50']} "
            f"| {found['p99']} | {found['errors']} | {found['logged']} |"
        )
    on, off = (found["per_cpu_s"] for _target, found in results)
    if on and off:
        print(f"\ncost of the checks and the log, per CPU-second: {1 - on / off:.0%}")


if __name__ == "__main__":
    main()
