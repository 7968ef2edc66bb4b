"""Production server benchmark (issue 8, item 6): gunicorn and granian on the same pages.

    .venv/bin/python bench/server_bench.py [--seconds 10] [--connections 8] [--workers 2]

Prepares a throwaway installation under var/bench/servers/ (migrate, the sample data,
collectstatic; DEBUG off, the sample's demo administrator logged in by a session cookie), then
for each server in turn starts it with the same number of worker processes, and measures the
home page, a search and the dashboard with wrk (Debian package ``wrk``): requests/s and the
latency percentiles wrk reports, and the requests served per CPU-second the server's processes
used (from /proc: fair when other work shares the machine), after a warm-up (sequential requests, so that every worker
process has served the page, then 3 s of wrk). Both servers run in the same run, one after
the other, on the same machine; prints a Markdown table for docs/benchmarks.md ("Servers").
Not a test: numbers depend on the machine and on what else runs on it (the load average is
printed).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench" / "servers"
PAGES = {
    "home": "/",
    "search": "/search/?q=" + quote("数据共享"),
    "dashboard": "/dashboard/",
}


def server_commands(workers: int, port: int) -> dict[str, list[str]]:
    bind = f"127.0.0.1:{port}"
    return {
        "gunicorn": [
            sys.executable, "-m", "gunicorn", "shuzheng.wsgi:application",
            "--bind", bind, "--workers", str(workers), "--log-level", "warning",
        ],
        "granian": [
            sys.executable, "-m", "granian", "--interface", "wsgi", "shuzheng.wsgi:application",
            "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
            "--log-level", "warning",
        ],
    }  # fmt: skip


def environment() -> dict[str, str]:
    return {
        **os.environ,
        "SHUZHENG_VAR_DIR": str(VAR),
        "SHUZHENG_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "shuzheng.settings",
    }


def shuzheng(*args: str) -> str:
    command = [sys.executable, "-m", "shuzheng", *args]
    return subprocess.run(
        command, env=environment(), check=True, capture_output=True, text=True
    ).stdout


def prepare() -> str:
    """The installation, and the session cookie of its demo administrator."""
    VAR.mkdir(parents=True, exist_ok=True)
    shuzheng("migrate", "--noinput", "-v0")
    shuzheng("loadsample")
    shuzheng("collectstatic", "--noinput", "-v0")
    code = (
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY;"
        "from django.contrib.sessions.backends.db import SessionStore;"
        "from shuzheng.accounts.models import User;"
        "u = User.objects.get(username='admin'); s = SessionStore();"
        "s[SESSION_KEY] = str(u.pk); s[HASH_SESSION_KEY] = u.get_session_auth_hash();"
        "from django.conf import settings;"
        "s[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0];"
        "s.create(); print(s.session_key)"
    )
    return shuzheng("shell", "--no-imports", "-c", code).strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing listens on {port} after {timeout} s")


def cpu_seconds(root: int) -> float:
    """User + system CPU time of ``root`` and every process below it (/proc): what the server
    spent, whatever else the machine runs — the fair measure on a busy machine."""
    stats = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(stat.parent.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    tree, frontier = {root}, {root}
    while frontier:
        frontier = {pid for pid, (parent, _ticks) in stats.items() if parent in frontier}
        tree |= frontier
    return sum(stats[pid][1] for pid in tree if pid in stats) / os.sysconf("SC_CLK_TCK")


def stop(server: subprocess.Popen, timeout: float = 60) -> None:
    """Stop the server (SIGTERM: gunicorn waits for its workers' requests), killing it if it
    is still there after ``timeout`` seconds (a loaded machine can take that long)."""
    server.terminate()
    try:
        server.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def warm_up(url: str, cookie: str, requests: int) -> None:
    """One by one, so that every worker process serves the page before wrk measures it (a
    process's first request loads the segmentation dictionary and fills caches: seconds)."""
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})
    for _ in range(requests):
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()


def wrk(
    url: str, cookie: str, seconds: int, connections: int, extra: list[str] | None = None
) -> dict[str, str]:
    """One wrk run; ``cookie`` empty sends none, ``extra`` adds options (e.g. ``-s script``)."""
    session = ["-H", f"Cookie: sessionid={cookie}"] if cookie else []
    output = subprocess.run(
        [
            "wrk", "--latency", "--timeout", "10s", "-t", "2", "-c", str(connections), "-d", f"{seconds}s",
            *session, "-H", "Accept-Language: zh-CN", *(extra or []), url,
        ],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "rps": re.search(r"Requests/sec:\s+([\d.]+)", output).group(1),
        # The distribution's lines ("     50%  12.34ms"), not a stdev share ending in 50%.
        "p50": re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1),
        "p99": re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1),
        "errors": failed.group(1) if failed else "0",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    cookie = prepare()
    rows = []
    for name, command in server_commands(args.workers, port := free_port()).items():
        server = subprocess.Popen(command, env=environment(), cwd=ROOT)
        try:
            wait_until_serving(port, server)
            for page, path in PAGES.items():
                url = f"http://127.0.0.1:{port}{path}"
                warm_up(url, cookie, 4 * args.workers)
                wrk(url, cookie, 3, args.connections)
                cpu_before = cpu_seconds(server.pid)
                found = wrk(url, cookie, args.seconds, args.connections)
                cpu = cpu_seconds(server.pid) - cpu_before
                found["per_cpu_s"] = f"{found['requests'] / cpu:.1f}" if cpu else "-"
                rows.append((name, page, found))
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}"
    )
    print(f"wrk -t2 -c{args.connections} -d{args.seconds}s, {args.workers} worker processes\n")
    print("| server | page | requests/s | requests per CPU-second | p50 | p99 | non-2xx |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, page, found in rows:
        print(
            f"| {name} | {page} | {found['rps']} | {found['per_cpu_s']} | {found['p50']} "
            f"| {found['p99']} | {found['errors']} |"
        )


if __name__ == "__main__":
    main()
