"""The search page behind the production server on a large library (issue 13: ≥ 100 search
pages per second on the 100,000-section library).

    .venv/bin/python bench/search_bench.py --sizes 100000 --no-postgres   # builds the library
    .venv/bin/python bench/search_page_bench.py [--sections 100000] [--seconds 20]
        [--connections 8] [--workers 2] [--queries 200]

Serves the library ``bench/search_bench.py`` left in var/bench/ (its SQLite database and its
engine's index directory) with gunicorn as ``shuzheng serve`` runs it (the warm application,
``--preload``, DEBUG off, static files collected), and loads ``/search/?q=…`` with wrk
(Debian package ``wrk``) over the benchmark's own queries — the labelled ones and words
drawn from its Zipf vocabulary — in turn (a Lua script), as an anonymous visitor in Chinese.
Prints requests/s, the requests per CPU-second of the server's processes (fair on a shared
machine), wrk's latency percentiles and the non-2xx count. Not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_bench  # noqa: E402
import server_bench  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "var" / "bench"


def environment(sections: int) -> dict[str, str]:
    return {
        **os.environ,
        "SHUZHENG_VAR_DIR": str(BENCH / "search-page"),
        "SHUZHENG_DATABASE_URL": f"sqlite:///{BENCH / f'search-bench-{sections}.sqlite3'}",
        "SHUZHENG_SEARCH_INDEX_DIR": str(BENCH / f"search-index-{sections}-sqlite"),
        "SHUZHENG_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "shuzheng.settings",
    }


def lua_script(paths: list[str]) -> str:
    """wrk's request generator: the paths in turn."""
    listed = ",\n".join(f'  "{path}"' for path in paths)
    return (
        f"local paths = {{\n{listed}\n}}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i], {["Accept-Language"] = "zh-CN"})\nend\n'
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    env = environment(args.sections)
    if not Path(env["SHUZHENG_SEARCH_INDEX_DIR"]).exists():
        raise SystemExit(f"build the library first: bench/search_bench.py --sizes {args.sections}")
    sys.path.insert(0, str(ROOT / "src"))
    queries = search_bench.Corpus().queries(args.queries)
    paths = ["/search/?q=" + quote(text) for text in queries]
    command = [sys.executable, "-m", "shuzheng", "collectstatic", "--noinput", "-v0"]
    subprocess.run(command, env=env, check=True, capture_output=True)
    port = server_bench.free_port()
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "shuzheng.wsgi:warm_application()",
            "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
            "--log-level", "warning", "--no-control-socket", "--preload",
        ],
        env=env, cwd=ROOT,
    )  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(paths))
    try:
        server_bench.wait_until_serving(port, server, timeout=120)
        base = f"http://127.0.0.1:{port}"
        for path in paths[: 4 * args.workers]:
            server_bench.warm_up(base + path, "none", 1)
        run = [
            "wrk", "--latency", "--timeout", "10s", "-t", "2", "-c", str(args.connections),
            "-s", script.name,
        ]  # fmt: skip
        subprocess.run([*run, "-d", "3s", base], check=True, capture_output=True)
        cpu_before = server_bench.cpu_seconds(server.pid)
        load = server_bench.os.getloadavg()[0]
        output = subprocess.run(
            [*run, "-d", f"{args.seconds}s", base], check=True, capture_output=True, text=True
        ).stdout
        cpu = server_bench.cpu_seconds(server.pid) - cpu_before
    finally:
        server.terminate()
        server.wait(timeout=30)
        os.unlink(script.name)
    found = server_bench.re.search
    requests = int(found(r"(\d+) requests in", output).group(1))
    failed = found(r"Non-2xx or 3xx responses: (\d+)", output)
    print(f"`.venv/bin/python bench/search_page_bench.py {' '.join(sys.argv[1:])}`\n")
    print(
        f"{args.sections:,} sections, {len(paths)} queries in turn, gunicorn "
        f"{args.workers} workers, wrk -t2 -c{args.connections} -d{args.seconds}s, "
        f"load average {load:.1f} → {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n"
    )
    print("| requests/s | requests per CPU-second | p50 | p90 | p99 | non-2xx |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {found(r'Requests/sec:\s+([\d.]+)', output).group(1)} "
        f"| {requests / cpu:.1f} | {found(r'50%\s+(\S+)', output).group(1)} "
        f"| {found(r'90%\s+(\S+)', output).group(1)} | {found(r'99%\s+(\S+)', output).group(1)} "
        f"| {failed.group(1) if failed else 0} |"
    )


if __name__ == "__main__":
    main()
