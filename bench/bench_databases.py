"""A fresh, migrated database for a benchmark's child processes, on SQLite or PostgreSQL.

Shared by the benchmarks that measure each way in its own process on its own database
(audit_chain_bench, catalog_import_bench, licence_bench, worker_bench).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def child_env(url: str, **extra: str) -> dict:
    """The environment of a child process on the database at ``url`` (``bench/`` importable)."""
    return {
        **os.environ,
        "SHUZHENG_DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "shuzheng.settings",
        "PYTHONPATH": os.pathsep.join([str(BENCH), os.environ.get("PYTHONPATH", "")]),
        **extra,
    }


def fresh_database(url: str, sqlite_files: Iterable[Path] = ()) -> None:
    """Remove ``sqlite_files`` (SQLite) or drop and create the database (PostgreSQL, through
    its server's ``postgres`` database), then migrate it."""
    if url.startswith("sqlite"):
        for path in sqlite_files:
            path.unlink(missing_ok=True)
    else:
        import psycopg
        from psycopg import sql

        name = url.partition("?")[0].rpartition("/")[2]
        admin = url.replace(f"/{name}", "/postgres", 1)
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    subprocess.run(
        [sys.executable, "-m", "shuzheng", "migrate", "--noinput", "-v0"],
        env=child_env(url),
        check=True,
    )


def print_child_rows(command: list[str], url: str, *, profile: bool = False) -> None:
    """Run a benchmark's child on the database at ``url`` and print the table rows it prints
    (lines starting with ``|``); with ``profile`` its whole output goes to the terminal."""
    output = subprocess.run(
        command, env=child_env(url), check=True, capture_output=not profile, text=True
    ).stdout
    for line in (output or "").splitlines():
        if line.startswith("|"):
            print(line, flush=True)
