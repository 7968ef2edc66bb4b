"""Claimed deliveries: the one way a worker takes a due delivery, records its success, and
schedules its retry or makes it a dead letter.

Two queues use it: the notifications' e-mail and webhook deliveries (``Delivery``) and the
exchange feed's push batches (``exchange.FeedDelivery``). A row of either has ``status``,
``claim_token``, ``claimed_until``, ``attempts``, ``next_attempt_at``, ``last_error``,
``error_kind`` and ``error_status``; the statuses are each model's own values, named by
:class:`States`.

* **Claim** (:func:`claim`): a conditional UPDATE (still due → sending, with a fresh token and
  a lease), so of two workers racing for a row only one gets it, on SQLite as on PostgreSQL;
  on PostgreSQL the candidates are first locked with ``SKIP LOCKED`` so that workers take
  different rows instead of waiting for each other. Each claim counts as an attempt, so a
  delivery that crashes its worker every time still ends up dead.
* **Success and failure** (:func:`mark_sent`, :func:`record_failure`) change a row only while
  the worker still holds its claim (token and status unchanged), so a worker whose lease ran
  out never overwrites what the next one did. A failure is retried on the caller's back-off
  policy; a permanent one, or one past the policy's last attempt, makes the row dead, which
  is audited.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models import F, Q

from shuzheng.audit.services import record_change, snapshot
from shuzheng.notifications.backoff import RetryPolicy

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class States:
    """A queue's status values for a claimed row, sent, waiting to retry and dead."""

    sending: str
    sent: str
    failed: str
    dead: str


def claim(
    model: type[models.Model],
    due: Q,
    *,
    now: dt.datetime,
    lease: dt.timedelta,
    states: States,
    limit: int,
    order: Sequence[str] = ("id",),
) -> models.QuerySet:
    """Claim up to ``limit`` rows of ``model`` matching ``due`` (in ``order``) for this worker;
    the claimed rows, in id order (the caller adds what it reads with them)."""
    token = uuid.uuid4().hex
    with transaction.atomic():
        candidates = model.objects.filter(due).order_by(*order)
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("id", flat=True)[:limit])
        if ids:
            model.objects.filter(due, id__in=ids).update(
                status=states.sending,
                claim_token=token,
                claimed_until=now + lease,
                attempts=F("attempts") + 1,
            )
    return model.objects.filter(claim_token=token, status=states.sending).order_by("id")


def _held(row: models.Model, states: States) -> models.QuerySet:
    return type(row).objects.filter(pk=row.pk, claim_token=row.claim_token, status=states.sending)


def mark_sent(row: models.Model, states: States, **fields) -> int:
    """Mark ``row`` sent with ``fields`` (its time, what it carried) — 1 if this worker still
    held the claim, else 0 — and clear its last error and schedule."""
    return _held(row, states).update(
        status=states.sent,
        last_error="",
        error_kind="",
        error_status=None,
        claimed_until=None,
        next_attempt_at=None,
        **fields,
    )


def record_failure(
    row: models.Model,
    error: Exception,
    *,
    permanent: bool,
    now: dt.datetime,
    policy: RetryPolicy,
    states: States,
    dead_action: str,
) -> bool:
    """Schedule ``row``'s next attempt after ``error`` (its ``kind`` and ``status`` kept for
    the owner), or make it dead, audited as ``dead_action``; True when it is now dead."""
    message = str(error)[:1000] or type(error).__name__
    next_at = None if permanent else policy.next_attempt_at(row.attempts, now)
    error_fields = {
        "last_error": message,
        "error_kind": getattr(error, "kind", ""),
        "error_status": getattr(error, "status", None),
    }
    held = _held(row, states)
    if next_at is not None:
        held.update(
            status=states.failed, next_attempt_at=next_at, claimed_until=None, **error_fields
        )
        return False
    with transaction.atomic():
        before = snapshot(row, exclude=("claim_token",))
        if not held.update(
            status=states.dead, claimed_until=None, next_attempt_at=None, **error_fields
        ):
            return False
        row.refresh_from_db()
        record_change(
            actor=None,
            action=dead_action,
            obj=row,
            before=before,
            after=snapshot(row, exclude=("claim_token",)),
        )
    logger.warning(
        "%s %s is dead after %s attempts: %s",
        row._meta.label,
        row.pk,
        row.attempts,
        message,
    )
    return True
