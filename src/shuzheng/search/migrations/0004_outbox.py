"""The outbox between the index entries in the database and the tantivy search engine
(issue 13, item 1). One whole-index row is queued at once, so an existing library is copied
into the engine by the first process that applies the outbox (or ``shuzheng reindex``)."""

from django.db import migrations, models


def queue_whole_index(apps, schema_editor):
    apps.get_model("search", "SearchOutbox").objects.create(document_id=None)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_filter_index")]

    operations = [
        migrations.CreateModel(
            name="SearchOutbox",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "document_id",
                    models.BigIntegerField(blank=True, null=True, verbose_name="document id"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
            ],
            options={
                "verbose_name": "search index change",
                "verbose_name_plural": "search index changes",
                "db_table": "search_outbox",
            },
        ),
        migrations.RunPython(queue_whole_index, migrations.RunPython.noop),
    ]
