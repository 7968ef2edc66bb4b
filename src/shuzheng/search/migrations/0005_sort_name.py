"""The dataset search's name order (issue 11, item 5): ``search_entry.sort_name``.

Added with a plain ``ALTER TABLE … ADD COLUMN`` on both databases: Django's SQLite editor
would rebuild ``search_entry`` for a column with a default, dropping the FTS triggers of
0002 and the covering index of 0003.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("search", "0004_outbox")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE search_entry ADD COLUMN sort_name varchar(100) DEFAULT '' NOT NULL",
                    "ALTER TABLE search_entry DROP COLUMN sort_name",
                )
            ],
            state_operations=[
                migrations.AddField(
                    model_name="searchentry",
                    name="sort_name",
                    field=models.CharField(
                        blank=True, default="", max_length=100, verbose_name="sort name"
                    ),
                )
            ],
        )
    ]
