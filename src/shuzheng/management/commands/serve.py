"""``shuzheng serve``: the web server and the worker, started together and stopped together.

``make run`` runs it: the production server (gunicorn, docs/benchmarks.md "Servers") on
``--bind`` and ``shuzheng worker`` beside it. With ``--dev`` (``make dev``) it is Django's
runserver with autoreload and a worker that reloads too.

Ctrl-C or SIGTERM stops both: each child gets one SIGTERM (they run in their own process
groups, so the terminal's Ctrl-C does not reach them twice), finishes what it is doing, and is
killed if it has not exited after ``STOP_SECONDS``. When either child exits on its own the other
is stopped too, and the command exits with the child's status — a supervisor (systemd) sees the
failure and restarts the pair (docs/operations.md).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading

from django.core.management.base import BaseCommand, CommandError

STOP_SECONDS = 20


class Command(BaseCommand):
    help = "Run the web server and the background worker together; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="host:port to serve on")
        parser.add_argument(
            "--workers", type=int, default=2, help="web server processes (default 2)"
        )
        parser.add_argument(
            "--dev", action="store_true", help="runserver with autoreload, for development"
        )

    def handle(self, *args, bind, workers, dev, **options):
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        children = [web_server(bind, workers, dev), worker(dev)]
        status = supervise(children, self.stdout)
        if status:
            raise CommandError(f"a process exited with status {status}", returncode=status)


def web_server(bind: str, workers: int, dev: bool) -> list[str]:
    if dev:
        return [sys.executable, "-m", "shuzheng", "runserver", bind]
    return [
        sys.executable, "-m", "gunicorn", "shuzheng.wsgi:warm_application()",
        "--bind", bind, "--workers", str(workers),
        # Logged-in pages are dynamic: an access line per request, on stdout.
        "--access-logfile", "-",
        "--graceful-timeout", str(STOP_SECONDS - 5),
        # gunicorn's control socket lives in the user's home, shared by every instance.
        "--no-control-socket",
        # The master imports (and warms up, shuzheng.wsgi) the app once; workers fork warm.
        "--preload",
    ]  # fmt: skip


def worker(dev: bool) -> list[str]:
    return [sys.executable, "-m", "shuzheng", "worker", *(["--reload"] if dev else [])]


def supervise(commands: list[list[str]], out) -> int:
    """Run the commands until a signal or until one exits; then stop them all. Returns 0
    after a requested stop, else the status of the child that exited first (1 if that was 0)."""
    stop_requested = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop_requested.set())
    children = [subprocess.Popen(command, start_new_session=True) for command in commands]
    out.write(f"started processes {', '.join(str(child.pid) for child in children)}")
    exited = None
    while exited is None and not stop_requested.wait(0.5):
        exited = next((child for child in children if child.poll() is not None), None)
    if exited is not None:
        out.write(f"process {exited.pid} exited with status {exited.returncode}; stopping")
    for child in children:
        stop(child)
    return 0 if exited is None else (exited.returncode or 1)


def stop(child: subprocess.Popen) -> None:
    """SIGTERM to the child's whole process group (a reloader's or gunicorn's own children
    included), then SIGKILL if it is still there after STOP_SECONDS."""
    for signum in (signal.SIGTERM, signal.SIGKILL):
        if child.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signum)
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=STOP_SECONDS)
