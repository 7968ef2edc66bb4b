"""Hotline intake throughput (issue 15): Open311 ``POST /open311/v2/requests.json`` behind the
production server, against a minimal Django view in the same run.

    .venv/bin/python bench/hotline_intake_bench.py [--seconds 10] [--connections 8] [--workers 2]
        [--database-url postgres://…]

Prepares a throwaway installation under var/bench/hotline-intake/ (migrate, ``loadsample``
with its year of hotline requests, collectstatic; DEBUG off; a citizen's API token with the
``write`` scope), or uses the database ``--database-url`` names (migrated and loaded the same
way). Starts the production server the way ``shuzheng serve`` does (gunicorn, ``--preload``,
access log on; ``shuzheng.management.commands.serve.web_server``) on an application that also
serves the peer (bench/hotline_intake_peer.py: validate and insert the same row, nothing
else). wrk posts a rotation of three form-encoded requests — 拖欠工资 by address, a street
light with its Open311 attributes at a point, and one under the general service (其他/综合)
that is classified from its description — to each target in turn: warm-up (sequential
requests, then 3 s of wrk), then the measured run. Reports requests/s, the requests served per
CPU-second of the server's processes (from /proc: fair when other work shares the machine),
latency percentiles, non-2xx answers, and checks that every 2xx answer stored one row.
Prints a Markdown table for docs/benchmarks.md ("Hotline intake"). Not a test: the numbers
depend on the machine and on what else runs on it (the load average is printed).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from server_bench import cpu_seconds, free_port, wait_until_serving, wrk

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench" / "hotline-intake"
TARGETS = {
    "Open311 POST requests.json (product)": "/open311/v2/requests.json",
    "minimal Django view (peer)": "/bench/peer-intake.json",
}
BODIES = [
    {
        "service_code": "wage-arrears",
        "description": "公司拖欠工资两个月，老板不接电话。",
        "address_string": "银川市兴庆区解放西街12号",
        "first_name": "三",
        "last_name": "张",
        "phone": "13912345678",
    },
    {
        "service_code": "street-light",
        "description": "路灯晚上不亮，路口很黑。",
        "lat": "38.487100",
        "long": "106.230900",
        "attribute[pole_number]": "XQ-0815",
        "attribute[fault]": "dark",
    },
    {
        "service_code": "general",
        "description": "小区门口烧烤店油烟很大，晚上还很吵。",
        "address_string": "石嘴山市大武口区朝阳西街",
    },
]


def environment(database_url: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "SHUZHENG_VAR_DIR": str(VAR),
        "SHUZHENG_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "shuzheng.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), os.environ.get("PYTHONPATH", "")]),
    }
    if database_url:
        env["SHUZHENG_DATABASE_URL"] = database_url
    return env


def shuzheng(env: dict, *args: str) -> str:
    command = [sys.executable, "-m", "shuzheng", *args]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout


def shell(env: dict, code: str) -> str:
    return shuzheng(env, "shell", "--no-imports", "-c", code).strip().splitlines()[-1]


def prepare(env: dict) -> str:
    """The installation, and an API key with the write scope of a citizen (who may submit)."""
    VAR.mkdir(parents=True, exist_ok=True)
    shuzheng(env, "migrate", "--noinput", "-v0")
    loaded = shell(
        env, "from shuzheng.hotline.models import ServiceCategory as C; print(C.objects.exists())"
    )
    if loaded != "True":
        shuzheng(env, "loadsample")
    shuzheng(env, "collectstatic", "--noinput", "-v0")
    return shell(
        env,
        "from shuzheng.accounts.models import User;"
        "from shuzheng.accounts.services import create_token;"
        "u, _ = User.objects.get_or_create(username='bench-open311', defaults={'role': 'citizen'});"
        "print(create_token(u, name='intake bench', scopes=['write'], actor=u)[1])",
    )


def stored_requests(env: dict) -> int:
    return int(
        shell(
            env, "from shuzheng.hotline.models import ServiceRequest as R; print(R.objects.count())"
        )
    )


def lua_script(api_key: str) -> str:
    """wrk's script: each request posts the next body of the rotation."""
    bodies = ",\n".join(
        "  " + lua_string(urlencode({**body, "api_key": api_key})) for body in BODIES
    )
    return f"""
local bodies = {{
{bodies}
}}
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
request = function()
  counter = counter + 1
  return wrk.format(nil, nil, nil, bodies[(counter % #bodies) + 1])
end
"""


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def post_sequentially(url: str, api_key: str, count: int) -> None:
    """One by one, so every worker process has served the route before wrk measures it."""
    for number in range(count):
        body = urlencode({**BODIES[number % len(BODIES)], "api_key": api_key}).encode()
        try:
            with urllib.request.urlopen(url, data=body, timeout=120) as response:
                response.read()
        except urllib.error.HTTPError as error:
            raise SystemExit(f"{url} answered {error.code}: {error.read()[:500]!r}") from None


def wrk_script(url: str, script: str, seconds: int, connections: int) -> dict:
    """server_bench.wrk with a Lua script (wrk's ``-s``)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        return wrk(url, "", seconds, connections, extra=["-s", handle.name])
    finally:
        os.unlink(handle.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", help="default: SQLite under var/bench/hotline-intake/")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuzheng.settings")
    from shuzheng.management.commands.serve import web_server

    env = environment(args.database_url)
    api_key = prepare(env)
    script = lua_script(api_key)
    port = free_port()
    command = web_server(f"127.0.0.1:{port}", args.workers, dev=False)
    command[command.index("shuzheng.wsgi:warm_application()")] = "hotline_intake_peer:application()"
    rows = []
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        wait_until_serving(port, server, timeout=120)
        for name, path in TARGETS.items():
            url = f"http://127.0.0.1:{port}{path}"
            post_sequentially(url, api_key, 4 * args.workers * len(BODIES))
            wrk_script(url, script, 3, args.connections)
            before = stored_requests(env)
            cpu_before = cpu_seconds(server.pid)
            found = wrk_script(url, script, args.seconds, args.connections)
            cpu = cpu_seconds(server.pid) - cpu_before
            stored = stored_requests(env) - before
            found["per_cpu_s"] = f"{found['requests'] / cpu:.1f}" if cpu else "-"
            found["stored"] = stored
            rows.append((name, found))
    finally:
        server.terminate()
        server.wait(timeout=30)
    database = "PostgreSQL" if args.database_url else "SQLite (WAL)"
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}, {database}"
    )
    print(
        f"wrk -t2 -c{args.connections} -d{args.seconds}s, gunicorn as `shuzheng serve` starts "
        f"it, {args.workers} worker processes\n"
    )
    print("| endpoint | requests/s | requests per CPU-second | p50 | p99 | non-2xx | rows stored |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, found in rows:
        print(
            f"| {name} | {found['rps']} | {found['per_cpu_s']} | {found['p50']} "
            f"| {found['p99']} | {found['errors']} | {found['stored']} |"
        )


if __name__ == "__main__":
    main()
