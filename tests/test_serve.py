"""``shuzheng serve`` (``make run``): the production server and the worker start together,
serve with DEBUG off (static files hashed and compressed by whitenoise, the Chinese 404), and
stop together on SIGTERM — no process is left behind — or when one of them dies."""

import gzip
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.processes import DatabaseForProcesses, platform_env

pytestmark = pytest.mark.django_db(transaction=True)

START_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def descendants(pid: int) -> set[int]:
    """Every living process below ``pid`` (from /proc: the children's parent ids)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def command_line(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_text().split("\0")


def get(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Language": "zh-CN", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """``collectstatic`` once for the module (seconds of CPU each time): the static files do
    not depend on the database."""
    var = tmp_path_factory.mktemp("collected") / "var"
    env = {key: value for key, value in os.environ.items() if not key.startswith("SHUZHENG_")}
    env |= {"SHUZHENG_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "shuzheng.settings"}
    subprocess.run(
        [sys.executable, "-m", "shuzheng", "collectstatic", "--noinput", "-v0"],
        env=env,
        check=True,
    )
    return var / "static"


@pytest.fixture
def collected_env(tmp_path, collected_static):
    env = platform_env(DatabaseForProcesses(tmp_path), tmp_path)
    (tmp_path / "var").mkdir(exist_ok=True)
    (tmp_path / "var" / "static").symlink_to(collected_static, target_is_directory=True)
    return env


@pytest.fixture
def serving(collected_env):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "shuzheng", "serve", "--bind", f"127.0.0.1:{port}"],
        env=collected_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + START_SECONDS
    while True:
        if process.poll() is not None:
            pytest.fail(f"serve exited early:\n{process.stdout.read()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"nothing served after {START_SECONDS} s")
            time.sleep(0.2)
    yield process, f"http://127.0.0.1:{port}"
    # After a failed test: the children first, while they can still be found under serve.
    for pid in descendants(process.pid):
        os.kill(pid, signal.SIGKILL)
    if process.poll() is None:
        process.kill()


def test_the_production_server_serves_with_debug_off_and_stops_with_the_worker(serving):
    process, base = serving
    status, _headers, body = get(f"{base}/")
    assert status == 200
    home = body.decode()
    stylesheet = re.search(r'href="(/static/shuzheng/site\.[0-9a-f]{12}\.css)"', home).group(1)

    status, headers, body = get(f"{base}{stylesheet}", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]
    assert b".site-header" in gzip.decompress(body)

    status, _headers, body = get(f"{base}/no-such-page/")
    assert status == 404 and "页面不存在" in body.decode()  # not Django's debug page

    children = descendants(process.pid)
    commands = [command_line(pid) for pid in children]
    assert any("gunicorn" in command for command in commands)
    assert any("worker" in command for command in commands)

    process.send_signal(signal.SIGTERM)
    output = process.communicate(timeout=30)[0]
    assert process.returncode == 0, output
    assert not [pid for pid in children if alive(pid)]  # no orphans


def test_when_the_worker_dies_the_server_is_stopped_too(serving):
    process, _base = serving
    children = descendants(process.pid)
    (worker,) = [pid for pid in children if "worker" in command_line(pid)]
    os.kill(worker, signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode != 0  # a supervisor sees the failure and restarts both
    assert not [pid for pid in children if alive(pid)]


def test_ctrl_c_stops_both_as_sigterm_does(serving):
    """The terminal's Ctrl-C reaches only ``serve`` (its children have their own process
    groups), which stops each child once."""
    process, _base = serving
    children = descendants(process.pid)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=30)
    assert process.returncode == 0
    assert not [pid for pid in children if alive(pid)]


@pytest.mark.django_db(transaction=True)
def test_a_web_process_is_warm_before_its_first_request(tmp_path):
    """The warm WSGI application loads what the first request would (issue 8: the first
    request of a process took 10–14 s): the URLconf with every view and API module, and the
    search dictionary; and its database connection is closed again, so a forked worker opens
    its own (``shuzheng serve`` runs gunicorn with ``--preload``)."""
    database = DatabaseForProcesses(tmp_path)
    code = (
        "import sys, shuzheng.wsgi\n"
        "shuzheng.wsgi.warm_application()\n"
        "from django.db import connection\n"
        "from shuzheng.search import services\n"
        "print('shuzheng.urls' in sys.modules, 'shuzheng.search.views' in sys.modules,\n"
        "      'segmenter' in services._segmenter_state, connection.connection is None)\n"
    )
    printed = subprocess.run(
        [sys.executable, "-c", code],
        env=platform_env(database, tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert printed.stdout.split() == ["True", "True", "True", "True"], printed.stderr
    from shuzheng.management.commands.serve import web_server

    command = web_server("127.0.0.1:8000", 2, dev=False)
    assert "--preload" in command and "shuzheng.wsgi:warm_application()" in command
