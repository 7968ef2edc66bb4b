"""The notifications' background job, run by ``shuzheng worker``: send due email and webhook
deliveries (``shuzheng deliver`` stays as a manual trigger and a standalone loop)."""

import datetime as dt
from dataclasses import asdict

from django.tasks import task
from django.utils.translation import gettext_lazy as _

from shuzheng.notifications.services import DEFAULT_BATCH, deliver_due
from shuzheng.worker.periodic import periodic

#: One run sends at most this many batches, so a backlog cannot hold the worker for long;
#: the next run, half a minute later, goes on with the rest.
MAX_BATCHES = 10


@periodic(every=dt.timedelta(seconds=30), label=_("Send notification deliveries"))
@task
def deliver_notifications() -> dict:
    """Claims keep two workers from sending the same delivery (``services.claim_due``)."""
    totals = {"claimed": 0, "sent": 0, "failed": 0, "dead": 0}
    for _batch in range(MAX_BATCHES):
        stats = asdict(deliver_due(limit=DEFAULT_BATCH))
        totals = {key: totals[key] + stats[key] for key in totals}
        if stats["claimed"] < DEFAULT_BATCH:
            break
    return totals
