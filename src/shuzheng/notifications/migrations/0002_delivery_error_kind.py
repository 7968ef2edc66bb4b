"""Deliveries keep the failure's class for their owner apart from its detail (issue 9)."""

from django.db import migrations, models


def classify_past_failures(apps, schema_editor):
    """Past failures carry only their detail: their owners are told "could not be delivered"."""
    Delivery = apps.get_model("notifications", "Delivery")
    Delivery.objects.exclude(last_error="").update(error_kind="undelivered")


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="error_kind",
            field=models.CharField(
                blank=True,
                choices=[
                    (
                        "refused",
                        "The address is not allowed: webhooks go to public addresses only.",
                    ),
                    ("undelivered", "The message could not be delivered."),
                    ("timeout", "The receiver did not answer in time."),
                    ("http_status", "The receiver answered with an error status."),
                    ("disabled", "The webhook is disabled."),
                    ("deleted", "The webhook was deleted."),
                    ("not_permitted", "Your role does not send notifications to webhooks."),
                ],
                max_length=16,
                verbose_name="error kind",
            ),
        ),
        migrations.AddField(
            model_name="delivery",
            name="error_status",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="error status"
            ),
        ),
        migrations.RunPython(classify_past_failures, migrations.RunPython.noop),
    ]
