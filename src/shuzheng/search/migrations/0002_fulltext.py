"""The full-text part of the index, per database vendor (issue 4, item 3).

SQLite: an external-content FTS5 table over search_entry's three token columns, kept in
step by triggers, so Django's ordinary inserts and deletes maintain it.
PostgreSQL: a stored generated tsvector column (config ``simple`` over the pre-segmented
text; title/heading weight A, domain terms B, body D) with a GIN index.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE search_entry_fts USING fts5(
        title_tokens, body_tokens, terms_tokens,
        content='search_entry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    """CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_entry_fts(rowid, title_tokens, body_tokens, terms_tokens)
        VALUES (new.id, new.title_tokens, new.body_tokens, new.terms_tokens);
    END""",
    """CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, title_tokens, body_tokens,
                                     terms_tokens)
        VALUES ('delete', old.id, old.title_tokens, old.body_tokens, old.terms_tokens);
    END""",
    """CREATE TRIGGER search_entry_fts_update AFTER UPDATE ON search_entry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, title_tokens, body_tokens,
                                     terms_tokens)
        VALUES ('delete', old.id, old.title_tokens, old.body_tokens, old.terms_tokens);
        INSERT INTO search_entry_fts(rowid, title_tokens, body_tokens, terms_tokens)
        VALUES (new.id, new.title_tokens, new.body_tokens, new.terms_tokens);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_entry_fts_update",
    "DROP TRIGGER IF EXISTS search_entry_fts_delete",
    "DROP TRIGGER IF EXISTS search_entry_fts_insert",
    "DROP TABLE IF EXISTS search_entry_fts",
]
POSTGRES_FORWARD = [
    """ALTER TABLE search_entry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title_tokens), 'A')
        || setweight(to_tsvector('simple', terms_tokens), 'B')
        || setweight(to_tsvector('simple', body_tokens), 'D')
    ) STORED""",
    "CREATE INDEX search_entry_document ON search_entry USING GIN (document)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_document",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS document",
]
STATEMENTS = {
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
    "postgresql": (POSTGRES_FORWARD, POSTGRES_BACKWARD),
}


def _run(direction: int):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in STATEMENTS:
            raise RuntimeError(f"search supports SQLite and PostgreSQL, not {vendor}")
        for statement in STATEMENTS[vendor][direction]:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(_run(0), _run(1))]
