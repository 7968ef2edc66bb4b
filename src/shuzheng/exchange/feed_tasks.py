"""The change feed's background jobs (issue 16, point 4), run by ``shuzheng worker`` through
``exchange.tasks``: ``deliver_exchange_feed`` pushes the feed's webhook batches, and
``prune_exchange_feed`` removes, every hour, the outbox's changes older than
``EXCHANGE_FEED_RETENTION_DAYS`` that every subscriber has received.
It runs every few seconds on the schedule, and is queued as soon as a write to a table with
webhook subscribers commits (:func:`wake_feed_worker`), so that the delay from a provider's
write to the receiver is about the worker's ``--interval`` (1 s by default) plus the POST.
"""

import datetime as dt
from dataclasses import asdict

from django.conf import settings
from django.tasks import TaskResultStatus, task
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from shuzheng import clock
from shuzheng.exchange.feed_backend import feed_backend
from shuzheng.exchange.feed_services import deliver_feed
from shuzheng.worker.periodic import periodic

#: One run makes at most this many passes, so a backlog cannot hold the worker for long;
#: the next run goes on with the rest.
MAX_PASSES = 50


@periodic(every=dt.timedelta(seconds=5), label=_("Push the data change feed to webhooks"))
@task
def deliver_exchange_feed() -> dict:
    """Idempotent: batches are claimed (``feed_services.claim_due``), so two runs never send
    the same batch, and a delivered batch is never sent again."""
    totals = {"queued": 0, "claimed": 0, "sent": 0, "failed": 0, "dead": 0, "changes": 0}
    for _pass in range(MAX_PASSES):
        stats = deliver_feed()
        values = asdict(stats)
        totals = {key: totals[key] + values[key] for key in totals}
        if not stats.worked:
            break
    return totals


@periodic(every=dt.timedelta(hours=1), label=_("Prune the data change feed's received changes"))
@task
def prune_exchange_feed() -> dict:
    """Idempotent: what is removed was received by every subscriber; ``0`` days keeps all."""
    days = settings.EXCHANGE_FEED_RETENTION_DAYS
    if days <= 0:
        return {"pruned": 0}
    return {"pruned": feed_backend().prune(clock.now() - dt.timedelta(days=days))}


def wake_feed_worker() -> None:
    """Queue a run of :func:`deliver_exchange_feed` unless one is waiting already (a waiting
    run will see this write's changes too)."""
    waiting = DBTaskResult.objects.filter(
        task_path=deliver_exchange_feed.module_path, status=TaskResultStatus.READY
    ).exists()
    if not waiting:
        deliver_exchange_feed.enqueue()
