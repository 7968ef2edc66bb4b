"""Use cases of the change feed (issue 16, point 4: 分钟级共享; seed task 38): subscribing,
the pull API's pages by cursor, the webhook worker with retries and dead letters, and
redelivery. Every write is transactional and audited; the row changes themselves reach the
feed through the row-change listener (``exchange.feed_hooks``).

Delivery semantics.

* **Pull, exactly once by cursor.** A page holds the changes after the cursor's position in
  position order and a cursor for its last change; the same cursor gives the same page. A
  consumer that stores the cursor with what it applied neither misses nor repeats a change,
  also across its own restarts (``exchange.feed_cursor``).
* **Push, in order, at least once on the wire.** A subscription has at most one open batch
  (pending, being sent or waiting to retry): the next batch is cut only when the previous one
  was delivered or became a dead letter, so a receiver gets the changes in position order.
  A receiver that is down gets the same batch again on the back-off schedule
  (:data:`RETRY_DELAYS`), then everything written meanwhile; nothing is lost. Each change
  carries its position, so a receiver drops the rare repeat (a worker that died between the
  receiver's answer and its own record of it) by remembering the last position it applied.
* **The grant is checked at delivery time**, for every page and every attempt: columns cut
  to the grant, rows filtered by its row filters (``exchange.feed_rules``); core data never
  leaves, a missing grant makes the batch a dead letter the consumer can redeliver once a
  grant is issued again.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from shuzheng import clock, crypto
from shuzheng.audit.services import record_change, snapshot
from shuzheng.catalog.grading import Grade
from shuzheng.exchange import feed_cursor
from shuzheng.exchange.choices import FeedChannel, FeedDeliveryStatus, FeedError
from shuzheng.exchange.feed_backend import feed_backend
from shuzheng.exchange.feed_models import FeedChange, FeedDelivery, FeedSubscription
from shuzheng.exchange.feed_rules import FeedEntry, GrantView, delay_ms, visible_changes
from shuzheng.exchange.models import Grant
from shuzheng.notifications import claims, destinations, signing, transport
from shuzheng.notifications.backoff import RetryPolicy
from shuzheng.notifications.services import check_destination

logger = logging.getLogger(__name__)

CURSOR_PURPOSE = "shuzheng.exchange.feed-cursor"
SECRET_PURPOSE = "shuzheng.exchange.feed-webhook-secret"
#: Changes in one pull page or one webhook batch, at most (and by default for a pull).
MAX_PAGE = 1000
DEFAULT_PAGE = 500
#: Seconds between the attempts of a failed batch: minute-level sharing wants a receiver
#: that is back up served again within seconds, then the waits grow.
RETRY_DELAYS = (2, 10, 30, 120, 600, 3600)
MAX_ATTEMPTS = 12
#: A claimed batch belongs to its worker this long: far above the webhook timeout.
CLAIM_LEASE = dt.timedelta(seconds=60)
WEBHOOK_TIMEOUT = 10
USER_AGENT = "shuzheng-feed/1"
EVENT = "exchange.feed"
OPEN = (FeedDeliveryStatus.PENDING, FeedDeliveryStatus.SENDING, FeedDeliveryStatus.FAILED)
MAX_SUBSCRIPTIONS_PER_TABLE = 20
STATES = claims.States(
    sending=FeedDeliveryStatus.SENDING,
    sent=FeedDeliveryStatus.SENT,
    failed=FeedDeliveryStatus.FAILED,
    dead=FeedDeliveryStatus.DEAD,
)


class FeedInputError(ValueError):
    """Bad input to a feed service; the message says what to fix, nothing changed."""


class FeedRefused(Exception):
    """The feed may not be given to this consumer now; ``kind`` is a :class:`FeedError`."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(detail or kind)
        self.kind = kind

    @property
    def public_message(self) -> str:
        return str(FeedError(self.kind).label)


class DeliveryFailed(Exception):
    def __init__(self, detail: str, kind: str = FeedError.UNDELIVERED, status=None):
        super().__init__(detail)
        self.kind = kind
        self.status = status


class PermanentFailure(DeliveryFailed):
    """An attempt that cannot succeed by trying again (a refused address, no grant)."""


# ---------------------------------------------------------------------------------------------
# Grants as the feed applies them


def grant_view(subscription: FeedSubscription, now: dt.datetime) -> GrantView:
    """What ``subscription``'s consumer may receive now: its live grant's columns (less any
    core-graded information item) and row filters. Raises :class:`FeedRefused`.

    Issue 16, point 2 (the API enforces the grant, revocation works on the next request) and
    ``catalog.grading`` (core data never leaves; important data only through a grant)."""
    table = subscription.table
    resource = table.resource
    if resource.grade == Grade.CORE:
        raise FeedRefused(FeedError.CORE_DATA)
    grant = (
        Grant.objects.filter(
            consumer_id=subscription.consumer_id,
            resource_id=resource.pk,
            revoked_at__isnull=True,
            expires_at__gt=now,
        )
        .order_by("-granted_at", "-id")
        .first()
    )
    if grant is None:
        raise FeedRefused(FeedError.GRANT_MISSING, "no live grant")
    core_columns = set(
        resource.fields.filter(grade=Grade.CORE).exclude(column="").values_list("column", flat=True)
    )
    table_columns = {column["name"] for column in table.columns}
    columns = (set(grant.columns) & table_columns) - core_columns
    if not set(table.primary_key) <= columns:
        # The change's key is the primary key's values: a grant that hides them hides the feed.
        raise FeedRefused(FeedError.GRANT_MISSING, "the grant does not cover the primary key")
    return GrantView.of(columns, grant.row_filters or ())


# ---------------------------------------------------------------------------------------------
# Subscriptions


def subscribe(
    *,
    consumer,
    table,
    channel: str,
    webhook_url: str = "",
    actor=None,
    remote_addr: str | None = None,
) -> tuple[FeedSubscription, str | None]:
    """Subscribe ``consumer`` to ``table``'s changes from now on; returns the subscription and,
    for a webhook, its signing secret (stored sealed with SM4, shown this once).

    The consumer must hold a live grant covering the primary key now (it is checked again at
    every delivery); a webhook address must be one the destination policy allows
    (``notifications.destinations``: public addresses or the administrators' allow-list)."""
    if channel not in FeedChannel.values:
        raise FeedInputError(_("Choose how the changes are received: pulled or pushed."))
    webhook_url = (webhook_url or "").strip()
    probe = FeedSubscription(consumer=consumer, table=table, channel=channel)
    try:
        grant_view(probe, clock.now())
    except FeedRefused as refused:
        raise FeedInputError(refused.public_message) from None
    secret = None
    if channel == FeedChannel.PUSH:
        _check_webhook_url(webhook_url)
        secret = signing.new_secret()
    elif webhook_url:
        raise FeedInputError(_("A pulled subscription has no webhook address."))
    with transaction.atomic():
        existing = FeedSubscription.objects.select_for_update().filter(table=table)
        if (
            existing.count() >= MAX_SUBSCRIPTIONS_PER_TABLE
            and not existing.filter(consumer=consumer).exists()
        ):
            raise FeedInputError(
                _("A table has at most %(count)d subscribers.")
                % {"count": MAX_SUBSCRIPTIONS_PER_TABLE}
            )
        if existing.filter(consumer=consumer, channel=channel, webhook_url=webhook_url).exists():
            raise FeedInputError(_("This unit is subscribed to this table this way already."))
        head = feed_backend().head(table.pk)
        subscription = FeedSubscription.objects.create(
            consumer=consumer,
            table=table,
            channel=channel,
            webhook_url=webhook_url,
            sealed_secret=crypto.seal(_secret_key(), secret) if secret else "",
            start_position=head,
            queued_position=head,
            acked_position=head,
            created_at=clock.now(),
            created_by=actor,
        )
        record_change(
            actor=actor,
            action="exchange.feed_subscribe",
            obj=subscription,
            after=_subscription_snapshot(subscription),
            remote_addr=remote_addr,
        )
    return subscription, secret


def _check_webhook_url(url: str) -> None:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise FeedInputError(
            _("The webhook address must start with http:// or https://.")
        ) from None
    if len(url) > FeedSubscription._meta.get_field("webhook_url").max_length:
        raise FeedInputError(_("A webhook address has at most 500 characters."))
    try:
        check_destination(url)
    except destinations.Unresolvable:
        logger.info("feed webhook %s saved although it does not resolve now", url)
    except destinations.DestinationRefused as error:
        logger.warning("feed webhook %s refused: %s", url, error)
        raise FeedInputError(str(FeedError.REFUSED.label)) from None


def set_subscription_active(
    subscription: FeedSubscription, active: bool, *, actor=None, remote_addr=None
) -> FeedSubscription:
    """Pause or resume a subscription; paused, nothing is pushed (a pull is refused), and
    on resuming the feed goes on where it stopped."""
    with transaction.atomic():
        subscription = FeedSubscription.objects.select_for_update().get(pk=subscription.pk)
        before = _subscription_snapshot(subscription)
        subscription.active = bool(active)
        subscription.save(update_fields=["active"])
        record_change(
            actor=actor,
            action="exchange.feed_resume" if active else "exchange.feed_pause",
            obj=subscription,
            before=before,
            after=_subscription_snapshot(subscription),
            remote_addr=remote_addr,
        )
    return subscription


def delete_subscription(subscription: FeedSubscription, *, actor=None, remote_addr=None) -> None:
    with transaction.atomic():
        record_change(
            actor=actor,
            action="exchange.feed_unsubscribe",
            obj=subscription,
            before=_subscription_snapshot(subscription),
            remote_addr=remote_addr,
        )
        subscription.delete()


def _subscription_snapshot(subscription: FeedSubscription) -> dict:
    return snapshot(subscription, exclude=("sealed_secret",))


def webhook_secret(subscription: FeedSubscription) -> str:
    return crypto.unseal(_secret_key(), subscription.sealed_secret)


def _secret_key() -> bytes:
    return crypto.derive_key(settings.SECRET_KEY, SECRET_PURPOSE)


def cursor_key() -> bytes:
    return crypto.derive_key(settings.SECRET_KEY, CURSOR_PURPOSE)


def cursor_for(subscription: FeedSubscription, position: int) -> str:
    return feed_cursor.encode(cursor_key(), feed_cursor.Cursor(subscription.pk, position))


# ---------------------------------------------------------------------------------------------
# Pull


@dataclass(frozen=True)
class FeedPage:
    changes: list[dict]
    cursor: str
    #: True when more changes follow this page (ask again at once).
    more: bool


def pull(
    subscription: FeedSubscription, cursor: str | None, *, limit: int = DEFAULT_PAGE
) -> FeedPage:
    """The changes after ``cursor`` (after the subscription's start when empty), as the
    consumer's grant shows them. Raises ``feed_cursor.CursorError`` for a cursor the
    platform did not issue for this subscription, :class:`FeedRefused` without a grant.

    A page that reaches past what the subscriber had fetched before is recorded as a receipt
    (``FeedDelivery``, channel pull) with its delay, once: asking again with an old cursor
    returns the same changes and records nothing."""
    if not 1 <= limit <= MAX_PAGE:
        raise FeedInputError(_("A page has 1 to %(max)d changes.") % {"max": MAX_PAGE})
    if cursor:
        position = feed_cursor.decode(cursor_key(), cursor, subscription.pk).position
    else:
        position = subscription.start_position
    if not subscription.active:
        raise FeedRefused(FeedError.UNDELIVERED, "the subscription is paused")
    now = clock.now()
    view = grant_view(subscription, now)
    backend = feed_backend()
    entries = backend.read_since(subscription.table_id, position, limit + 1)
    more = len(entries) > limit
    entries = entries[:limit]
    changes = visible_changes(entries, view)
    last = entries[-1].position if entries else position
    if entries and last > subscription.acked_position:
        _record_receipt(subscription, entries, changes, now)
    return FeedPage(changes=changes, cursor=cursor_for(subscription, last), more=more)


def _record_receipt(subscription, entries: list[FeedEntry], changes: list[dict], now) -> None:
    """Count the newly fetched part of a page once, with its delays (write → fetch)."""
    fresh = [entry for entry in entries if entry.position > subscription.acked_position]
    with transaction.atomic():
        if not feed_backend().ack(subscription.pk, fresh[-1].position, at=now):
            return  # another fetch of the same page recorded it
        fresh_positions = {entry.position for entry in fresh}
        FeedDelivery.objects.create(
            subscription=subscription,
            channel=FeedChannel.PULL,
            first_position=fresh[0].position,
            last_position=fresh[-1].position,
            changes=sum(1 for change in changes if change["position"] in fresh_positions),
            status=FeedDeliveryStatus.SENT,
            attempts=1,
            oldest_written_at=min(entry.written_at for entry in fresh),
            newest_written_at=max(entry.written_at for entry in fresh),
            created_at=now,
            delivered_at=now,
            max_delay_ms=delay_ms(min(entry.written_at for entry in fresh), now),
            min_delay_ms=delay_ms(max(entry.written_at for entry in fresh), now),
        )


# ---------------------------------------------------------------------------------------------
# Push: the worker's side


@dataclass
class PushStats:
    """What one :func:`deliver_feed` pass did."""

    queued: int = 0
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    dead: int = 0
    changes: int = 0
    delays_ms: list[int] = field(default_factory=list)

    @property
    def worked(self) -> bool:
        return bool(self.queued or self.claimed)


def retry_policy() -> RetryPolicy:
    return RetryPolicy.from_settings(
        getattr(settings, "EXCHANGE_FEED_RETRY_DELAYS", None) or RETRY_DELAYS,
        getattr(settings, "EXCHANGE_FEED_MAX_ATTEMPTS", None) or MAX_ATTEMPTS,
    )


def has_push_subscribers(table_id: int) -> bool:
    return FeedSubscription.objects.filter(
        table_id=table_id, channel=FeedChannel.PUSH, active=True
    ).exists()


def deliver_feed(
    now: dt.datetime | None = None, *, batch_size: int = MAX_PAGE, limit: int = 100
) -> PushStats:
    """One pass of the webhook worker: cut the next batch of every push subscription that
    has none open, then send up to ``limit`` due batches (new ones, retries whose time has
    come, and those of a worker whose lease ran out)."""
    now = now or clock.now()
    stats = PushStats()
    stats.queued = queue_batches(now, batch_size=batch_size)
    policy = retry_policy()
    for delivery in claim_due(now, limit):
        stats.claimed += 1
        try:
            sent = _send(delivery)
        except DeliveryFailed as error:
            dead = _record_failure(delivery, error, now, policy)
            stats.dead += dead
            stats.failed += not dead
        else:
            if _record_sent(delivery, sent):
                stats.sent += 1
                stats.changes += sent
    return stats


def queue_batches(now: dt.datetime, *, batch_size: int = MAX_PAGE) -> int:
    """Cut one batch for every active push subscription without an open batch whose table
    has changes past its queued position. Two workers racing for a subscription: one
    conditional UPDATE of ``queued_position`` decides, so a position is batched once."""
    open_batch = FeedDelivery.objects.filter(subscription=OuterRef("pk"), status__in=OPEN)
    newer = FeedChange.objects.filter(
        table_id=OuterRef("table_id"), id__gt=OuterRef("queued_position")
    )
    candidates = (
        FeedSubscription.objects.filter(channel=FeedChannel.PUSH, active=True)
        .filter(~Exists(open_batch), Exists(newer))
        .only("id", "table_id", "queued_position")
    )
    backend = feed_backend()
    queued = 0
    for subscription in candidates:
        entries = backend.read_since(
            subscription.table_id, subscription.queued_position, batch_size
        )
        if not entries:
            continue
        with transaction.atomic():
            taken = FeedSubscription.objects.filter(
                pk=subscription.pk, queued_position=subscription.queued_position
            ).update(queued_position=entries[-1].position)
            if not taken:
                continue
            FeedDelivery.objects.create(
                subscription_id=subscription.pk,
                channel=FeedChannel.PUSH,
                first_position=entries[0].position,
                last_position=entries[-1].position,
                status=FeedDeliveryStatus.PENDING,
                next_attempt_at=now,
                oldest_written_at=min(entry.written_at for entry in entries),
                newest_written_at=max(entry.written_at for entry in entries),
                created_at=now,
            )
        queued += 1
    return queued


def claim_due(now: dt.datetime, limit: int = 100) -> list[FeedDelivery]:
    """Claim due push batches for this worker (``notifications.claims``, as the
    notifications' deliveries are claimed); each claim counts as an attempt, so a batch that
    crashes its worker every time still ends up dead."""
    due = Q(
        channel=FeedChannel.PUSH,
        status__in=[FeedDeliveryStatus.PENDING, FeedDeliveryStatus.FAILED],
        next_attempt_at__lte=now,
    ) | Q(channel=FeedChannel.PUSH, status=FeedDeliveryStatus.SENDING, claimed_until__lte=now)
    claimed = claims.claim(
        FeedDelivery, due, now=now, lease=CLAIM_LEASE, states=STATES, limit=limit
    )
    return list(claimed.select_related("subscription__table__resource"))


def _send(delivery: FeedDelivery) -> int:
    """POST the batch as the grant shows it now; the number of changes it carried (a batch
    the grant's row filters empty entirely is delivered without a request)."""
    subscription = delivery.subscription
    try:
        view = grant_view(subscription, clock.now())
    except FeedRefused as refused:
        raise PermanentFailure(str(refused), refused.kind) from None
    entries = feed_backend().read_range(
        subscription.table_id, delivery.first_position, delivery.last_position
    )
    changes = visible_changes(entries, view)
    if not changes:
        return 0
    payload = {
        "event": EVENT,
        "subscription": subscription.pk,
        "delivery": delivery.pk,
        "resource": subscription.table.resource.code,
        "first_position": delivery.first_position,
        "last_position": delivery.last_position,
        "changes": changes,
        "cursor": cursor_for(subscription, delivery.last_position),
        "sent_at": clock.now().isoformat(),
    }
    _post(subscription, delivery, payload)
    return len(changes)


def _post(subscription: FeedSubscription, delivery: FeedDelivery, payload: dict) -> None:
    """One signed POST (``X-Shuzheng-Signature: hmac-sm3=…`` over timestamp and body, the
    notifications' scheme) to the checked address; anything but 2xx is a failure, and a
    redirect is never followed (``notifications.transport``)."""
    try:
        destination = check_destination(subscription.webhook_url)
    except destinations.Unresolvable as error:
        raise DeliveryFailed(f"connection failed: {error}") from error
    except destinations.DestinationRefused as error:
        raise PermanentFailure(f"refused: {error}", FeedError.REFUSED) from error
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    timestamp = str(int(clock.now().timestamp()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Shuzheng-Event": EVENT,
        "X-Shuzheng-Delivery": str(delivery.pk),
        "X-Shuzheng-Timestamp": timestamp,
        "X-Shuzheng-Signature": signing.signature_header(
            webhook_secret(subscription), timestamp, body
        ),
    }
    timeout = getattr(settings, "EXCHANGE_FEED_WEBHOOK_TIMEOUT", WEBHOOK_TIMEOUT)
    try:
        status, reason = transport.post(destination, body, headers, timeout)
    except transport.TransportError as error:
        kind = FeedError.TIMEOUT if error.timed_out else FeedError.UNDELIVERED
        raise DeliveryFailed(f"connection failed: {error}", kind) from error
    if not 200 <= status < 300:
        raise DeliveryFailed(f"HTTP {status} {reason}", FeedError.HTTP_STATUS, status)


def _record_sent(delivery: FeedDelivery, changes: int) -> bool:
    """Mark the batch delivered, with its delays — only while this worker holds the claim —
    and move the subscriber's received position on."""
    now = clock.now()
    with transaction.atomic():
        held = claims.mark_sent(
            delivery,
            STATES,
            changes=changes,
            delivered_at=now,
            max_delay_ms=delay_ms(delivery.oldest_written_at, now),
            min_delay_ms=delay_ms(delivery.newest_written_at, now),
        )
        if held:
            feed_backend().ack(delivery.subscription_id, delivery.last_position, at=now)
    return bool(held)


def _record_failure(
    delivery: FeedDelivery, error: DeliveryFailed, now: dt.datetime, policy: RetryPolicy
) -> bool:
    """Schedule the next attempt, or make the batch a dead letter (audited); True when dead.
    A dead letter frees its subscription: the next batch is cut behind it."""
    return claims.record_failure(
        delivery,
        error,
        permanent=isinstance(error, PermanentFailure),
        now=now,
        policy=policy,
        states=STATES,
        dead_action="exchange.feed_dead_letter",
    )


def redeliver(delivery: FeedDelivery, *, actor=None, remote_addr=None) -> FeedDelivery:
    """Put a dead letter back in the queue: its next attempt is due at once, with a fresh
    count of attempts. It may now arrive after later batches; its changes carry their
    positions, so the receiver applies what is newer than what it holds."""
    with transaction.atomic():
        delivery = FeedDelivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.status != FeedDeliveryStatus.DEAD:
            raise FeedInputError(_("Only a dead letter can be delivered again."))
        if not delivery.subscription.active:
            raise FeedInputError(_("The subscription is paused; resume it first."))
        before = snapshot(delivery, exclude=("claim_token",))
        delivery.status = FeedDeliveryStatus.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = clock.now()
        delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
        record_change(
            actor=actor,
            action="exchange.feed_redeliver",
            obj=delivery,
            before=before,
            after=snapshot(delivery, exclude=("claim_token",)),
            remote_addr=remote_addr,
        )
    return delivery
