"""The audit trail becomes a hash chain (issue 10, point 5): the events recorded so far are
chained in the order of their ids, the chain head is stored, and seals get their table."""

import django.utils.timezone
from django.db import migrations, models

from shuzheng.audit import chain
from shuzheng.audit.services import CHAINED_FIELDS, hashed_values

BATCH = 1000


def chain_existing_events(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ChainHead = apps.get_model("audit", "ChainHead")
    prev, sequence, batch = chain.GENESIS, 0, []
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=BATCH):
        sequence += 1
        event.sequence = sequence
        event.prev_hash = prev
        values = {name: getattr(event, name) for name in CHAINED_FIELDS}
        event.hash = prev = chain.entry_hash(prev, hashed_values(values))
        batch.append(event)
        if len(batch) == BATCH:
            AuditEvent.objects.bulk_update(batch, ["sequence", "prev_hash", "hash"])
            batch = []
    AuditEvent.objects.bulk_update(batch, ["sequence", "prev_hash", "hash"])
    ChainHead.objects.create(pk=1, sequence=sequence, hash=prev)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(
                db_index=True,
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="at",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(
                editable=False, null=True, verbose_name="sequence"
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="previous hash"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="ChainHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sequence", models.PositiveBigIntegerField(default=0, verbose_name="sequence")),
                ("hash", models.CharField(max_length=64, verbose_name="hash")),
            ],
            options={
                "verbose_name": "audit chain head",
                "verbose_name_plural": "audit chain heads",
            },
        ),
        migrations.CreateModel(
            name="ChainSeal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sequence", models.PositiveBigIntegerField(unique=True, verbose_name="sequence")),
                ("head_hash", models.CharField(max_length=64, verbose_name="head hash")),
                (
                    "sealed_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="sealed at"
                    ),
                ),
                ("algorithm", models.CharField(max_length=32, verbose_name="algorithm")),
                ("signature", models.TextField(verbose_name="signature")),
            ],
            options={
                "verbose_name": "audit chain seal",
                "verbose_name_plural": "audit chain seals",
                "ordering": ["sequence"],
            },
        ),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(
                editable=False, unique=True, verbose_name="sequence"
            ),
        ),
    ]
