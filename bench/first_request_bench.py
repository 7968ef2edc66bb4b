"""The first request of a fresh web process (issue 8): how long a gunicorn worker takes to
answer its first request, then its second and third, on the home page, a search and the
dashboard, ``--preload`` on and off.

    .venv/bin/python bench/first_request_bench.py [--runs 3]

Uses the installation of bench/server_bench.py (var/bench/servers/, prepared there), one
gunicorn worker per start, a new start per page and run; a request counts from the moment the
server accepts connections. Without ``--preload`` the worker may still be booting then, so it
waits 3 s before the first request. Prints a Markdown table for docs/benchmarks.md ("First
request"). Not a test: the numbers depend on the machine and its load (printed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.request

from server_bench import PAGES, environment, free_port, prepare, wait_until_serving


def timed_requests(url: str, cookie: str, count: int = 3) -> list[float]:
    times = []
    for _ in range(count):
        request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
        times.append(time.perf_counter() - start)
    return times


def one_start(path: str, cookie: str, preload: bool) -> list[float]:
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "shuzheng.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-control-socket",
        "--log-level", "warning", *(["--preload"] if preload else []),
    ]  # fmt: skip
    server = subprocess.Popen(command, env=environment())
    try:
        wait_until_serving(port, server, timeout=120)
        if not preload:
            time.sleep(3)
        return timed_requests(f"http://127.0.0.1:{port}{path}", cookie)
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    cookie = prepare()
    print("| gunicorn | page | 1st request (median) | 2nd | 3rd |")
    print("|---|---|---:|---:|---:|")
    for preload in (False, True):
        for name, path in PAGES.items():
            samples = [one_start(path, cookie, preload) for _ in range(runs)]
            first, second, third = (statistics.median(s[i] for s in samples) for i in range(3))
            print(
                f"| {'--preload' if preload else 'no preload'} | {name} "
                f"| {first * 1000:.0f} ms | {second * 1000:.0f} ms | {third * 1000:.0f} ms |"
            )
    print(f"\nload average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
