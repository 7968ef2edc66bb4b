"""SQLite: a covering index over the columns that filters, facet counts and ordering read
for every matched entry (bench/search_bench.py, docs/benchmarks.md#search).

The entry rows hold the text and its tokens, several kilobytes each; the matched rowids
join this narrow index instead (the SQLite backend names it with INDEXED BY). PostgreSQL
reads the matched rows from the heap after its GIN index and gets nothing from it.
Creating an index does not rebuild ``search_entry``, so the FTS triggers stay.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE INDEX search_entry_filter ON search_entry (
        id, is_public, kind, year, doc_type, validity, published_on, document_id
    )"""
]
SQLITE_BACKWARD = ["DROP INDEX IF EXISTS search_entry_filter"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(_run(SQLITE_FORWARD), _run(SQLITE_BACKWARD))]
