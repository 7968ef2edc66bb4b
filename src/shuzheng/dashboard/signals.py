"""Keeping the dashboard honest: any change to the ledger marks its snapshot stale.

The ledger's tables belong to ``tasks``; rather than asking every ``tasks`` service to call
the dashboard, the dashboard listens to saves and deletes of every ``tasks`` model. Bulk
writes send no signals; their callers (loaders, the benchmark) refresh the snapshot
themselves (``shuzheng refreshdashboard``).
"""

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save

DISPATCH_UID = "dashboard-ledger-changed"


def ledger_changed(sender, **kwargs) -> None:
    from shuzheng.dashboard.services import mark_snapshot_stale

    transaction.on_commit(mark_snapshot_stale)


def watch_the_ledger() -> None:
    for model in apps.get_app_config("tasks").get_models():
        for signal in (post_save, post_delete):
            signal.connect(ledger_changed, sender=model, dispatch_uid=(DISPATCH_UID, model))
