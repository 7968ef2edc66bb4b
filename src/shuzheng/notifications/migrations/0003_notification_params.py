"""A notification stores its kind's parameters instead of its rendered text (issue 8).

The text of notifications stored before cannot be worded again: no code was kept. It moves
under ``params["stored"]`` and reads as it was written (``notifications.wording``).
"""

from django.db import migrations, models


def keep_the_stored_text(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    for notification in Notification.objects.only("title", "body", "reason").iterator():
        notification.params = {
            "stored": {
                "title": notification.title,
                "body": notification.body,
                "reason": notification.reason,
            }
        }
        notification.save(update_fields=["params"])


def restore_the_stored_text(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    for notification in Notification.objects.iterator():
        stored = notification.params.get("stored", {})
        notification.title = stored.get("title", "")[:300] or notification.kind
        notification.body = stored.get("body", "")
        notification.reason = stored.get("reason", "")[:300]
        notification.save(update_fields=["title", "body", "reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_delivery_error_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="parameters"),
        ),
        migrations.AddField(
            model_name="channelpreference",
            name="language",
            field=models.CharField(blank=True, max_length=10, verbose_name="language of e-mails"),
        ),
        migrations.RunPython(keep_the_stored_text, restore_the_stored_text),
        migrations.RemoveField(model_name="notification", name="title"),
        migrations.RemoveField(model_name="notification", name="body"),
        migrations.RemoveField(model_name="notification", name="reason"),
    ]
