"""Tests that start platform processes (a worker, the web server) on the test database."""

import sqlite3
from urllib.parse import urlsplit

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
