"""PostgreSQL: a phrase no longer matches across the title, domain-term and body columns.

``tsvector || tsvector`` numbers the right operand's positions on from the left's last, so
the last title token and the first body token stood next to each other and a phrase
(``<->``, distance 1) matched across them — where FTS5 (a phrase per column) and the tantivy
engine (a phrase per field) do not, and the benchmark's hit counts differed (issue 13,
item 4). A placeholder lexeme ``~`` (the segmenter never makes one: tokens hold letters and
digits only) takes one position between the columns and is deleted again, leaving a gap of
one position. SQLite is unchanged.
"""

from django.db import migrations

GAP = "'~:1'::tsvector"
FORWARD = [
    "DROP INDEX IF EXISTS search_entry_document",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS document",
    f"""ALTER TABLE search_entry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        ts_delete(
            setweight(to_tsvector('simple', title_tokens), 'A')
            || {GAP}
            || setweight(to_tsvector('simple', terms_tokens), 'B')
            || {GAP}
            || setweight(to_tsvector('simple', body_tokens), 'D'),
            '~'::text
        )
    ) STORED""",
    "CREATE INDEX search_entry_document ON search_entry USING GIN (document)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_document",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS document",
    """ALTER TABLE search_entry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title_tokens), 'A')
        || setweight(to_tsvector('simple', terms_tokens), 'B')
        || setweight(to_tsvector('simple', body_tokens), 'D')
    ) STORED""",
    "CREATE INDEX search_entry_document ON search_entry USING GIN (document)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0005_sort_name")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
