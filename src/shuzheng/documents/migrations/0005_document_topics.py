"""主题分类 of documents (issue 14, point 3): the two fields, and the stored documents'
topics proposed from their title and text by the same rule as at ingest
(``shuzheng.text.topics.propose``). Their search entries get the topics at the next
``shuzheng reindex``."""

from django.db import migrations, models

from shuzheng.text.topics import propose


def propose_stored_topics(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    for document in Document.objects.only("pk", "title", "text").iterator(chunk_size=200):
        topics = list(propose(document.title, document.text).topics)
        Document.objects.filter(pk=document.pk).update(topics=topics)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0004_source_original"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="topics",
            field=models.JSONField(blank=True, default=list, verbose_name="topics"),
        ),
        migrations.AddField(
            model_name="document",
            name="topics_edited",
            field=models.BooleanField(default=False, verbose_name="topics set by an editor"),
        ),
        migrations.RunPython(propose_stored_topics, migrations.RunPython.noop),
    ]
