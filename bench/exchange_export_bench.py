"""Bulk export of the data API (issue 16, benchmark (a)): a 10,000,000-row, 10-column table
streamed over HTTP on localhost as NDJSON and CSV, against a raw database cursor dumped to
the socket in the same run.

    .venv/bin/python bench/exchange_export_bench.py [--rows 10000000] [--workers 2]
        [--fields id,name,…] [--database-url postgres://…]

Prepares a throwaway installation under var/bench/exchange-export/ (or uses the database
``--database-url`` names): migrate, ``loadsample``, and the bench table of
bench/exchange_bench_data.py filled to ``--rows`` rows by a bulk insert (kept and reused by
later runs; a table holding more rows is exported whole). Starts the production server the
way ``shuzheng serve`` does (gunicorn, ``--preload``, access log on;
``shuzheng.management.commands.serve.web_server``) with a long ``--timeout`` for the
exporting worker, on an application that also serves the peer (bench/exchange_peer.py: the
stored rows from a database cursor to the socket, no token, grant, digest or log). Each
export is read to its end by a client in this process, counting rows (lines); meanwhile the
resident memory (RSS, /proc) of the server's worker processes is sampled every 0.5 s.
Reports rows/s, rows per CPU-second of the server's processes (from /proc: fair when other
work shares the machine), MB/s, and the largest worker's RSS first, highest and last (flat
memory: highest close to first). Prints a Markdown table for docs/benchmarks.md ("Exchange
bulk export"). Not a test: the numbers depend on the machine and its load (printed).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from exchange_bench_data import environment, prepare
from server_bench import cpu_seconds, free_port, stop, wait_until_serving

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench" / "exchange-export"
#: gunicorn's worker timeout for the run: an export of 10,000,000 rows takes minutes.
EXPORT_TIMEOUT = 3600


def worker_rss(master: int) -> list[int]:
    """The resident set size (bytes) of each child of the gunicorn master."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if int(fields.get("PPid", "0").strip() or 0) == master and "VmRSS" in fields:
            sizes.append(int(fields["VmRSS"].split()[0]) * 1024)
    return sizes


class MemorySampler(threading.Thread):
    """The largest worker's RSS every ``interval`` seconds until stopped."""

    def __init__(self, master: int, interval: float = 0.5):
        super().__init__(daemon=True)
        self.master, self.interval = master, interval
        self.samples: list[int] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            if sizes := worker_rss(self.master):
                self.samples.append(max(sizes))
            self.done.wait(self.interval)

    def stop(self) -> list[int]:
        self.done.set()
        self.join()
        return self.samples


def read_export(url: str, token: str) -> tuple[int, int]:
    """Read the stream to its end: (lines, bytes)."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    lines = size = 0
    with urllib.request.urlopen(request, timeout=EXPORT_TIMEOUT) as response:
        while block := response.read(1 << 20):
            lines += block.count(b"\n")
            size += len(block)
    return lines, size


def measure(server: subprocess.Popen, url: str, token: str, header_lines: int) -> dict:
    sampler = MemorySampler(server.pid)
    sampler.start()
    cpu_before, started = cpu_seconds(server.pid), time.monotonic()
    lines, size = read_export(url, token)
    seconds, cpu = time.monotonic() - started, cpu_seconds(server.pid) - cpu_before
    samples = sampler.stop()
    rows = lines - header_lines
    mib = 1024 * 1024
    return {
        "rows": rows,
        "seconds": seconds,
        "rps": rows / seconds,
        "per_cpu_s": rows / cpu if cpu else 0,
        "mb_s": size / seconds / 1e6,
        "rss": (samples[0] / mib, max(samples) / mib, samples[-1] / mib),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--fields", help="select these columns (the export projects them)")
    parser.add_argument("--formats", default="ndjson,csv")
    parser.add_argument("--database-url", help="default: SQLite under var/bench/exchange-export/")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuzheng.settings")
    from shuzheng.management.commands.serve import web_server

    env = environment(VAR, args.database_url)
    started = time.monotonic()
    name, token = prepare(env, "export", args.rows)
    print(f"table ready in {time.monotonic() - started:.0f} s", file=sys.stderr)
    port = free_port()
    command = web_server(f"127.0.0.1:{port}", args.workers, dev=False)
    command[command.index("shuzheng.wsgi:warm_application()")] = "exchange_peer:application()"
    command += ["--timeout", str(EXPORT_TIMEOUT)]
    fields = f"&fields={args.fields}" if args.fields else ""
    load_before = os.getloadavg()[0]
    results = []
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        wait_until_serving(port, server, timeout=120)
        base = f"http://127.0.0.1:{port}"
        for format in args.formats.split(","):
            header = 1 if format == "csv" else 0
            targets = {
                f"data API export, {format} (product)": (
                    f"{base}/api/v1/exchange/data/{name}/export?format={format}{fields}"
                ),
                f"raw cursor to the socket, {format} (peer)": (
                    f"{base}/bench/peer-export/{name}?format={format}"
                ),
            }
            for target, url in targets.items():
                results.append((target, measure(server, url, token, header)))
                print(target, results[-1], file=sys.stderr)
    finally:
        stop(server)
    database = "PostgreSQL" if args.database_url else "SQLite (WAL)"
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after, {database}"
    )
    print(
        f"gunicorn as `shuzheng serve` starts it (--timeout {EXPORT_TIMEOUT}), "
        f"{args.workers} worker processes{', fields ' + args.fields if args.fields else ''}\n"
    )
    print(
        "| export | rows | seconds | rows/s | rows per CPU-second | MB/s "
        "| worker RSS first / highest / last (MiB) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for target, found in results:
        first, highest, last = found["rss"]
        print(
            f"| {target} | {found['rows']:,} | {found['seconds']:.1f} | {found['rps']:,.0f} "
            f"| {found['per_cpu_s']:,.0f} | {found['mb_s']:.1f} "
            f"| {first:.0f} / {highest:.0f} / {last:.0f} |"
        )


if __name__ == "__main__":
    main()
