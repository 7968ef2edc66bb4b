"""Tests that start platform processes (a worker, the web server) on the test database."""

import os
import sqlite3
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection


class DatabaseForProcesses:
    """The test database as another process sees it: a file copy of the in-memory SQLite test
    database, or the PostgreSQL test database itself (the test must commit: transaction=True)."""

    def __init__(self, tmp_path):
        self.copy = None
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            self.copy = tmp_path / "platform.sqlite3"
            with sqlite3.connect(self.copy) as target:
                connection.ensure_connection()
                connection.connection.backup(target)

    def url(self) -> str:
        if self.copy is not None:
            return f"sqlite:///{self.copy}"
        if connection.vendor == "sqlite":
            return f"sqlite:///{connection.settings_dict['NAME']}"
        # The configured server, with the test database's name in place of the database's.
        return (
            urlsplit(settings.DATABASE_URL)
            ._replace(path=f"/{connection.settings_dict['NAME']}")
            .geturl()
        )

    def count(self, table: str, where: str) -> int:
        sql = f"SELECT COUNT(*) FROM {table} WHERE {where}"
        if self.copy is not None:
            with sqlite3.connect(self.copy) as copy:
                return copy.execute(sql).fetchone()[0]
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]

    def read_back(self) -> None:
        """Bring what the worker wrote into this process's database, for the ORM."""
        if self.copy is not None:
            with sqlite3.connect(self.copy) as source:
                source.backup(connection.connection)


def platform_env(database: DatabaseForProcesses, tmp_path, **variables: str) -> dict:
    """The environment of a platform process on ``database``: this one's without its own
    ``SHUZHENG_`` settings (the child reads only what the test gives it), plus ``variables``
    (``SHUZHENG_CLOCK="2026-06-01"``)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("SHUZHENG_")}
    return env | {
        "SHUZHENG_DATABASE_URL": database.url(),
        "SHUZHENG_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "shuzheng.settings",
        **variables,
    }


def start_worker(env: dict, *options: str) -> subprocess.Popen:
    """``shuzheng worker`` with short ticks, its output kept for the test's failure message."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "shuzheng",
            "worker",
            "--tick",
            "0.5",
            "--interval",
            "0.2",
            *options,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


#: A ceiling for a loaded machine; on an idle one each step takes a second or two.
WAIT_SECONDS = 60


def wait_for(condition, process: subprocess.Popen, what: str) -> None:
    """Poll ``condition`` until it holds; fail with the process's output if it exits first
    or ``what`` has not happened within :data:`WAIT_SECONDS`."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the process exited early:\n{process.stdout.read()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"{what} after {WAIT_SECONDS} s:\n{process.communicate()[0]}")
        time.sleep(0.2)
