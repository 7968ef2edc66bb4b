"""Use cases of notifications: the inbox, channel settings, and the delivery worker.

The public API other apps build on (issue 4 item 4 "信息找人" subscriptions, issue 5 item 4
ledger reminders) — documented in docs/notifications.md and kept stable:

* :func:`notify` — put one event in one person's inbox and queue its email/webhook deliveries;
* :func:`deliver_due` — send what is due (the ``shuzheng deliver`` worker calls it);
* :func:`mark_read`, :func:`mark_all_read`, :func:`unread_count`, :func:`inbox_of`,
  :func:`deliveries_of`;
* channel settings: :func:`set_email_enabled`, :func:`add_webhook`,
  :func:`set_webhook_active`, :func:`delete_webhook`, :func:`send_test_webhook`.

Delivery semantics: every state change is a row update, so a restarted worker picks up where
the last one stopped. A worker *claims* due deliveries (a lease with a random token) before
sending, so two workers never send the same delivery, and a delivery marked sent is never
claimed again. A worker that dies after sending but before writing "sent" leaves a lease that
runs out, and the next worker sends again: at-least-once on the wire in that one window, which
lasts from the receiver's answer to one UPDATE.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import smtplib
import threading
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import URLValidator
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from shuzheng import clock, crypto
from shuzheng.accounts.authorization import has_perm
from shuzheng.audit.services import record_change, snapshot
from shuzheng.notifications import claims, destinations, signing, transport, wording
from shuzheng.notifications.backoff import RetryPolicy
from shuzheng.notifications.choices import Channel, DeliveryError, DeliveryStatus
from shuzheng.notifications.models import (
    ChannelPreference,
    Delivery,
    Notification,
    WebhookEndpoint,
    public_error_message,
)

logger = logging.getLogger(__name__)

#: How long a claimed delivery belongs to the worker that claimed it. Far above the webhook
#: and SMTP timeouts, so a live worker always finishes inside its lease.
DEFAULT_CLAIM_LEASE = dt.timedelta(minutes=5)
DEFAULT_WEBHOOK_TIMEOUT = 10
DEFAULT_BATCH = 100
#: One person may register this many webhook endpoints.
MAX_ENDPOINTS_PER_USER = 10
SECRET_PURPOSE = "shuzheng.notifications.webhook-secret"
#: Inbox lines stay short: a title or reason is cut (…) by the wording that builds it.
MAX_TITLE_LENGTH = 300
KIND_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
DUE = Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED])
STATES = claims.States(
    sending=DeliveryStatus.SENDING,
    sent=DeliveryStatus.SENT,
    failed=DeliveryStatus.FAILED,
    dead=DeliveryStatus.DEAD,
)
USER_AGENT = "shuzheng-webhook/1"
#: The permission a person needs to register webhooks and to have notifications pushed to them.
WEBHOOK_PERMISSION = "manage_webhooks"


class NotificationError(ValueError):
    """Bad input to a notifications service; the message says what to fix, nothing changed."""


class DeliveryFailed(Exception):
    """One attempt failed. ``str()`` is the detail, stored as ``last_error`` for administrators
    and logged; ``kind`` (and ``status``) is the class of failure its owner is shown."""

    def __init__(self, detail: str, kind: str = DeliveryError.UNDELIVERED, status=None):
        super().__init__(detail)
        self.kind = kind
        self.status = status

    def public_message(self) -> str:
        return public_error_message(self.kind, self.status)


class PermanentFailure(DeliveryFailed):
    """An attempt that can never succeed (endpoint deleted or disabled): dead at once."""


@dataclass
class DeliveryStats:
    """What one :func:`deliver_due` pass did."""

    claimed: int = 0
    sent: int = 0
    failed: int = 0
    dead: int = 0


# ---------------------------------------------------------------------------------------------
# Creating notifications


@dataclass(frozen=True)
class Notice:
    """One event for one person, as :func:`notify_many` takes it (see :func:`notify`)."""

    recipient: object
    kind: str
    dedupe_key: str
    params: dict | None = None
    link: str = ""


def notify(
    recipient,
    *,
    kind: str,
    params: dict | None = None,
    link: str = "",
    dedupe_key: str,
    actor=None,
) -> Notification | None:
    """Put one event in ``recipient``'s inbox and queue a delivery per enabled channel.

    Idempotent on (recipient, ``dedupe_key``): the same event never notifies the same person
    twice (issue 4 item 4), so callers may re-run their matching freely; returns None when the
    person was notified already. Runs in the caller's transaction (a savepoint keeps a
    concurrent duplicate from spoiling it). ``link`` is a path on this site ("/documents/…").
    Nothing is worded here: ``kind`` names the wording its app registered
    (``notifications.wording``) and ``params`` what it needs, and the title, body and reason
    (why the person gets it) are worded in the reader's language wherever it is shown.
    """
    notice = Notice(recipient, kind, dedupe_key, params, link)
    created = notify_many([notice], actor=actor)
    return created[0] if created else None


def notify_many(notices: list[Notice], *, actor=None) -> list[Notification]:
    """:func:`notify` for many events at once — the notices one ingested document sends its
    subscribers (issue 13, Done-when: ingest with 1,000 saved searches) — with the same
    checks and the same idempotence, in a fixed number of queries: one for who was notified
    already, one insert of the notifications, one read of the recipients' channel choices,
    one of their webhook endpoints and one insert of the deliveries. Returns the
    notifications created; a notice for someone notified already creates none. Any notice
    with bad input raises ``NotificationError`` before anything is written."""
    notices = [replace(notice, params=dict(notice.params or {})) for notice in notices]
    for notice in notices:
        _check_notification_input(notice.kind, notice.params, notice.link, notice.dedupe_key)
    notices = _not_notified_yet(notices)
    if not notices:
        return []
    now = clock.now()
    author = actor if getattr(actor, "is_authenticated", False) else None
    created = _insert_notifications(
        [
            Notification(
                recipient=notice.recipient,
                kind=notice.kind,
                params=notice.params,
                link=notice.link,
                dedupe_key=notice.dedupe_key,
                actor=author,
                created_at=now,
            )
            for notice in notices
        ]
    )
    deliveries = Delivery.objects.bulk_create(_deliveries_for(created, now))
    if deliveries and getattr(settings, "NOTIFICATIONS_DELIVER_INLINE", False):
        for notification_id in {delivery.notification_id for delivery in deliveries}:
            transaction.on_commit(
                lambda notification_id=notification_id: _deliver_in_background(notification_id)
            )
    return created


def _not_notified_yet(notices: list[Notice]) -> list[Notice]:
    """The notices whose (recipient, dedupe key) has no notification yet, each pair once."""
    done = set(
        Notification.objects.filter(
            recipient__in={notice.recipient.pk for notice in notices},
            dedupe_key__in={notice.dedupe_key for notice in notices},
        ).values_list("recipient_id", "dedupe_key")
    )
    fresh = []
    for notice in notices:
        pair = (notice.recipient.pk, notice.dedupe_key)
        if pair not in done:
            done.add(pair)
            fresh.append(notice)
    return fresh


def _insert_notifications(rows: list[Notification]) -> list[Notification]:
    """Insert ``rows`` in one statement; when a concurrent writer notified one of the
    recipients in the meantime (the unique constraint refuses the batch), each row in a
    savepoint of its own, skipping the duplicates."""
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(rows)
    except IntegrityError:
        pass
    created = []
    for row in rows:
        row.pk = None
        try:
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            continue
        created.append(row)
    return created


def _deliveries_for(notifications: list[Notification], now: dt.datetime) -> list[Delivery]:
    """A pending delivery per channel each recipient has on: email (unless switched off, and
    only with an address) and every active webhook endpoint of those allowed webhooks."""
    recipients = {n.recipient.pk: n.recipient for n in notifications if n.recipient.is_active}
    if not recipients:
        return []
    email_off = set(
        ChannelPreference.objects.filter(user__in=recipients, email_enabled=False).values_list(
            "user_id", flat=True
        )
    )
    pushed = [pk for pk, user in recipients.items() if has_perm(user, WEBHOOK_PERMISSION)]
    endpoints: dict[int, list[WebhookEndpoint]] = {}
    for endpoint in WebhookEndpoint.objects.filter(owner__in=pushed, active=True).order_by("pk"):
        endpoints.setdefault(endpoint.owner_id, []).append(endpoint)
    deliveries = []
    for notification in notifications:
        recipient = recipients.get(notification.recipient.pk)
        if recipient is None:
            continue
        if recipient.email and recipient.pk not in email_off:
            deliveries.append(
                Delivery(
                    notification=notification,
                    channel=Channel.EMAIL,
                    target=recipient.email,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
        for endpoint in endpoints.get(recipient.pk, ()):
            deliveries.append(
                Delivery(
                    notification=notification,
                    channel=Channel.WEBHOOK,
                    target=endpoint.url,
                    endpoint=endpoint,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
    return deliveries


def _check_notification_input(kind, params, link, dedupe_key) -> None:
    if not KIND_PATTERN.match(kind or ""):
        raise NotificationError(
            f"kind {kind!r} must be a lowercase slug such as 'policy_match' (at most 40 chars)"
        )
    if not wording.is_registered(kind):
        raise NotificationError(f"no wording is registered for the kind {kind!r}")
    try:
        json.dumps(params)
    except (TypeError, ValueError):
        raise NotificationError("notification parameters must be JSON data") from None
    _check_wording(kind, params)
    if not (dedupe_key or "").strip():
        raise NotificationError("a notification needs a dedupe_key naming its event")
    if len(dedupe_key) > Notification._meta.get_field("dedupe_key").max_length:
        raise NotificationError("a dedupe_key is at most 200 characters")
    if link and (not link.startswith("/") or link.startswith("//")):
        raise NotificationError(f"link {link!r} must be a path on this site, starting with '/'")
    if len(link or "") > Notification._meta.get_field("link").max_length:
        raise NotificationError("a notification link is at most 500 characters")


def _check_wording(kind, params) -> None:
    """The parameters must word the kind in every language the site speaks, with a title."""
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            try:
                words = wording.word(kind, params)
            except (KeyError, ValueError, TypeError) as error:
                raise NotificationError(
                    f"the parameters do not word a {kind!r} notification: {error!r}"
                ) from None
        if not words.title.strip():
            raise NotificationError("a notification needs a title")
        if len(words.title) > MAX_TITLE_LENGTH or len(words.reason) > MAX_TITLE_LENGTH:
            raise NotificationError("a notification title and reason are at most 300 characters")


def _deliver_in_background(notification_id: int) -> None:
    """Development convenience (NOTIFICATIONS_DELIVER_INLINE): send a new notification's
    deliveries at once, off the request thread. The worker remains the source of truth."""

    def run():
        try:
            _deliver(clock.now(), DEFAULT_BATCH, notification_id=notification_id)
        except Exception:
            logger.exception("inline delivery of notification %s failed", notification_id)
        finally:
            close_old_connections()
            connection.close()

    threading.Thread(target=run, name=f"deliver-{notification_id}", daemon=True).start()


# ---------------------------------------------------------------------------------------------
# The inbox


def inbox_of(user, *, unread_only: bool = False):
    """``user``'s notifications, newest first."""
    items = Notification.objects.filter(recipient=user)
    return items.filter(read_at__isnull=True) if unread_only else items


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(notification: Notification, *, user) -> Notification:
    """Mark one of ``user``'s notifications read (reading again keeps the first time).

    Not audited: inbox rows are high-volume and private to their reader (docs/notifications.md).
    """
    if notification.recipient_id != getattr(user, "pk", None):
        raise NotificationError("only the recipient can mark a notification read")
    if notification.read_at is None:
        now = clock.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.refresh_from_db(fields=["read_at"])
    return notification


def mark_all_read(user) -> int:
    """Mark every unread notification of ``user`` read; returns how many changed."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=clock.now()
    )


def deliveries_of(user, *, problems_only: bool = False):
    """The deliveries of ``user``'s notifications, newest first; failed and dead ones carry
    their last error, so the owner sees why a message did not arrive."""
    deliveries = Delivery.objects.filter(notification__recipient=user).select_related(
        "notification"
    )
    if problems_only:
        deliveries = deliveries.filter(status__in=[DeliveryStatus.FAILED, DeliveryStatus.DEAD])
    return deliveries


# ---------------------------------------------------------------------------------------------
# Channel settings (audited)


def email_enabled(user) -> bool:
    preference = ChannelPreference.objects.filter(user=user).first()
    return preference is None or preference.email_enabled


def email_settings(user) -> dict:
    """``user``'s e-mail choices in one query: on or off, and their language ("" for the
    site's)."""
    preference = ChannelPreference.objects.filter(user=user).first()
    if preference is None:
        return {"email_enabled": True, "language": ""}
    return {"email_enabled": preference.email_enabled, "language": preference.language}


def chosen_email_language(user) -> str:
    """The language ``user`` chose for their e-mails; "" for the site's."""
    return email_settings(user)["language"]


def email_language(user) -> str:
    """The language ``user``'s e-mails are written in: their choice, else the site's."""
    return chosen_email_language(user) or settings.LANGUAGE_CODE


def set_email_enabled(
    user, enabled: bool, *, language: str | None = None, actor=None, remote_addr=None
) -> ChannelPreference:
    """Switch email notifications on or off for ``user`` and, unless ``language`` is None,
    choose the language of their e-mails ("" for the site's) (audited)."""
    if language and language not in dict(settings.LANGUAGES):
        raise NotificationError(f"{language!r} is not a language of this site")
    with transaction.atomic():
        preference, created = ChannelPreference.objects.select_for_update().get_or_create(
            user=user, defaults={"email_enabled": True, "updated_at": clock.now()}
        )
        before = None if created else snapshot(preference)
        preference.email_enabled = bool(enabled)
        if language is not None:
            preference.language = language
        preference.updated_at = clock.now()
        preference.save()
        record_change(
            actor=actor,
            action="notifications.set_email_enabled",
            obj=preference,
            before=before,
            after=snapshot(preference),
            remote_addr=remote_addr,
        )
    return preference


def webhooks_of(user):
    return WebhookEndpoint.objects.filter(owner=user)


def add_webhook(
    owner, url: str, *, description: str = "", actor=None, remote_addr=None
) -> tuple[WebhookEndpoint, str]:
    """Register an http(s) endpoint for ``owner``; returns it and its signing secret, which
    is stored sealed with SM4 and shown this once.

    Only holders of ``manage_webhooks`` may, and only for a destination the policy allows
    (:mod:`shuzheng.notifications.destinations`); a refused one is audited.
    """
    if not has_perm(owner, WEBHOOK_PERMISSION):
        raise NotificationError(_("Your role cannot register webhooks."))
    url = (url or "").strip()
    description = (description or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise NotificationError(f"{url!r} is not an http:// or https:// URL") from None
    if len(url) > WebhookEndpoint._meta.get_field("url").max_length:
        raise NotificationError("a webhook URL is at most 500 characters")
    if len(description) > WebhookEndpoint._meta.get_field("description").max_length:
        raise NotificationError("a webhook description is at most 100 characters")
    _check_destination_on_save(owner, url, actor=actor, remote_addr=remote_addr)
    secret = signing.new_secret()
    with transaction.atomic():
        existing = WebhookEndpoint.objects.select_for_update().filter(owner=owner)
        if existing.filter(url=url).exists():
            raise NotificationError(f"you have registered {url} already")
        if existing.count() >= MAX_ENDPOINTS_PER_USER:
            raise NotificationError(
                f"at most {MAX_ENDPOINTS_PER_USER} webhook endpoints; delete one first"
            )
        endpoint = WebhookEndpoint.objects.create(
            owner=owner,
            url=url,
            description=description,
            sealed_secret=crypto.seal(_secret_key(), secret),
            created_at=clock.now(),
        )
        record_change(
            actor=actor,
            action="notifications.add_webhook",
            obj=endpoint,
            after=_endpoint_snapshot(endpoint),
            remote_addr=remote_addr,
        )
    return endpoint, secret


def _check_destination_on_save(owner, url: str, *, actor, remote_addr) -> None:
    """Refuse a destination the policy forbids (audited: someone tried to reach a host they
    may not). A name that does not resolve now is accepted — every delivery checks again."""
    try:
        check_destination(url)
    except destinations.Unresolvable as error:
        logger.info("webhook %s saved although it does not resolve now: %s", url, error)
    except destinations.DestinationRefused as error:
        logger.warning("webhook %s of %s refused: %s", url, owner.get_username(), error)
        record_change(
            actor=actor,
            action="notifications.webhook_refused",
            object_type=WebhookEndpoint._meta.label_lower,
            object_repr=url,
            after={"owner": owner.get_username(), "url": url, "reason": str(error)},
            remote_addr=remote_addr,
        )
        raise NotificationError(str(DeliveryError.REFUSED.label)) from None


def webhook_allow_list() -> destinations.AllowList:
    """The destinations administrators allow although they are not public (settings)."""
    return destinations.AllowList.parse(getattr(settings, "NOTIFICATIONS_WEBHOOK_ALLOW", ()))


def check_destination(url: str) -> destinations.Destination:
    """``url`` resolved and checked against the policy and the allow-list."""
    return destinations.check_url(url, allow=webhook_allow_list(), resolve=_resolve)


def _resolve(host: str, port: int) -> list[str]:
    # Looked up at call time, so tests can stand in for DNS (destinations.system_resolver).
    return destinations.system_resolver(host, port)


def set_webhook_active(
    endpoint: WebhookEndpoint, active: bool, *, actor=None, remote_addr=None
) -> WebhookEndpoint:
    """Disable (or enable again) an endpoint. Deliveries queued for a disabled endpoint are
    not sent: their next attempt makes them dead with the reason."""
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        before = _endpoint_snapshot(endpoint)
        endpoint.active = bool(active)
        endpoint.save(update_fields=["active"])
        record_change(
            actor=actor,
            action="notifications.enable_webhook" if active else "notifications.disable_webhook",
            obj=endpoint,
            before=before,
            after=_endpoint_snapshot(endpoint),
            remote_addr=remote_addr,
        )
    return endpoint


def delete_webhook(endpoint: WebhookEndpoint, *, actor=None, remote_addr=None) -> None:
    """Delete an endpoint; its past deliveries stay (with the URL) for the record."""
    with transaction.atomic():
        before = _endpoint_snapshot(endpoint)
        record_change(
            actor=actor,
            action="notifications.delete_webhook",
            obj=endpoint,
            before=before,
            remote_addr=remote_addr,
        )
        endpoint.delete()


def send_test_webhook(endpoint: WebhookEndpoint) -> str | None:
    """POST a signed ``webhook_test`` event to ``endpoint`` now; None on success, else the
    class of failure its owner may read (the detail goes to the log only). Nothing is
    stored: it only shows the owner whether their receiver works."""
    payload = {
        "event": "webhook_test",
        "delivery": None,
        "notification": None,
        "sent_at": clock.now().isoformat(),
    }
    try:
        _post_webhook(endpoint, event="webhook_test", delivery_id="test", payload=payload)
    except DeliveryFailed as error:
        logger.warning("test send to webhook %s (%s) failed: %s", endpoint.pk, endpoint.url, error)
        return error.public_message()
    return None


def webhook_secret(endpoint: WebhookEndpoint) -> str:
    """The plain signing secret (for signing only; never displayed after creation)."""
    return crypto.unseal(_secret_key(), endpoint.sealed_secret)


def _secret_key() -> bytes:
    return crypto.derive_key(settings.SECRET_KEY, SECRET_PURPOSE)


def _endpoint_snapshot(endpoint: WebhookEndpoint) -> dict:
    return snapshot(endpoint, exclude=("sealed_secret",))


# ---------------------------------------------------------------------------------------------
# The delivery worker


def retry_policy() -> RetryPolicy:
    return RetryPolicy.from_settings(
        getattr(settings, "NOTIFICATIONS_RETRY_DELAYS", None),
        getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", None),
    )


def deliver_due(now: dt.datetime | None = None, limit: int = DEFAULT_BATCH) -> DeliveryStats:
    """Send up to ``limit`` deliveries that are due at ``now`` (default: the clock's now).

    Due: pending or failed with ``next_attempt_at`` ≤ now, or claimed by a worker whose
    lease ran out (it crashed). Failures are retried on the back-off schedule
    (:mod:`shuzheng.notifications.backoff`) and become dead after the last attempt.
    """
    return _deliver(now or clock.now(), limit)


def _deliver(now: dt.datetime, limit: int, notification_id: int | None = None) -> DeliveryStats:
    stats = DeliveryStats()
    policy = retry_policy()
    for delivery in claim_due(now, limit, notification_id=notification_id):
        stats.claimed += 1
        try:
            _send(delivery)
        except DeliveryFailed as error:
            dead = _record_failure(delivery, error, now, policy)
            stats.dead += dead
            stats.failed += not dead
        else:
            stats.sent += _record_sent(delivery)
    return stats


def claim_due(
    now: dt.datetime, limit: int = DEFAULT_BATCH, *, notification_id: int | None = None
) -> list[Delivery]:
    """Claim due deliveries for this worker and return them (``notifications.claims``: of two
    racing workers only one gets a row; each claim counts as an attempt), the most overdue
    first; a lease that ran out makes a delivery due again."""
    lease = getattr(settings, "NOTIFICATIONS_CLAIM_LEASE", DEFAULT_CLAIM_LEASE)
    due = (DUE & Q(next_attempt_at__lte=now)) | Q(
        status=DeliveryStatus.SENDING, claimed_until__lte=now
    )
    if notification_id is not None:
        due &= Q(notification_id=notification_id)
    claimed = claims.claim(
        Delivery,
        due,
        now=now,
        lease=lease,
        states=STATES,
        limit=limit,
        order=("next_attempt_at", "id"),
    )
    return list(claimed.select_related("notification__recipient", "endpoint"))


def _send(delivery: Delivery) -> None:
    if delivery.channel == Channel.EMAIL:
        _send_email(delivery)
    elif delivery.channel == Channel.WEBHOOK:
        endpoint = delivery.endpoint
        if endpoint is None:
            raise PermanentFailure("the webhook endpoint was deleted", DeliveryError.DELETED)
        if not endpoint.active:
            raise PermanentFailure("the webhook endpoint is disabled", DeliveryError.DISABLED)
        if not has_perm(delivery.notification.recipient, WEBHOOK_PERMISSION):
            raise PermanentFailure(
                f"the owner's role does not hold {WEBHOOK_PERMISSION}", DeliveryError.NOT_PERMITTED
            )
        _post_webhook(
            endpoint,
            event=delivery.notification.kind,
            delivery_id=str(delivery.pk),
            payload=webhook_payload(delivery),
        )
    else:
        raise PermanentFailure(f"unknown channel {delivery.channel!r}")


def _record_sent(delivery: Delivery) -> int:
    """Mark sent — only if this worker still holds the claim (1), else 0."""
    return claims.mark_sent(delivery, STATES, sent_at=clock.now())


def _record_failure(
    delivery: Delivery, error: DeliveryFailed, now: dt.datetime, policy: RetryPolicy
) -> bool:
    """Schedule the next attempt, or make the delivery dead (audited). True when dead."""
    return claims.record_failure(
        delivery,
        error,
        permanent=isinstance(error, PermanentFailure),
        now=now,
        policy=policy,
        states=STATES,
        dead_action="notifications.delivery_dead",
    )


# ---------------------------------------------------------------------------------------------
# Channels


def absolute_link(link: str) -> str:
    """``link`` with SITE_URL in front when configured (email and webhooks leave the site)."""
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{link}" if link and base else link


def _send_email(delivery: Delivery) -> None:
    """The e-mail in the recipient's language (their choice on the settings page, else the
    site's), worded at send time."""
    notification = delivery.notification
    with translation.override(email_language(notification.recipient)):
        text = render_to_string(
            "notifications/email.txt",
            {"notification": notification, "url": absolute_link(notification.link)},
        )
        subject = notification.title
    message = EmailMessage(subject=subject, body=text, to=[delivery.target])
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryFailed(f"SMTP: {type(error).__name__}: {error}") from error


def webhook_payload(delivery: Delivery) -> dict:
    """The JSON body of a webhook request (docs/notifications.md describes it): the kind and
    its parameters, for a receiver that words them itself, and the text worded in the
    site's language (Chinese)."""
    notification = delivery.notification
    with translation.override(settings.LANGUAGE_CODE):
        words = notification.wording
    return {
        "event": notification.kind,
        "delivery": delivery.pk,
        "notification": {
            "id": notification.pk,
            "kind": notification.kind,
            "params": notification.params,
            "language": settings.LANGUAGE_CODE,
            "title": words.title,
            "body": words.body,
            "link": notification.link,
            "url": absolute_link(notification.link),
            "reason": words.reason,
            "created_at": notification.created_at.isoformat(),
        },
        "recipient": notification.recipient.get_username(),
    }


def _post_webhook(endpoint: WebhookEndpoint, *, event: str, delivery_id: str, payload) -> None:
    """POST ``payload`` signed with the endpoint's secret; raise DeliveryFailed unless 2xx.

    The destination is checked again first (its DNS may have changed since it was saved) and
    the request goes to the checked address (:mod:`shuzheng.notifications.transport`); a 3xx
    answer is a failure and is not followed, so the signed body never goes elsewhere. Only
    the status line goes into the error, never the receiver's response body.
    """
    destination = _checked_destination(endpoint)
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    timestamp = str(int(clock.now().timestamp()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Shuzheng-Event": event,
        "X-Shuzheng-Delivery": delivery_id,
        "X-Shuzheng-Timestamp": timestamp,
        "X-Shuzheng-Signature": signing.signature_header(webhook_secret(endpoint), timestamp, body),
    }
    timeout = getattr(settings, "NOTIFICATIONS_WEBHOOK_TIMEOUT", DEFAULT_WEBHOOK_TIMEOUT)
    try:
        status, reason = transport.post(destination, body, headers, timeout)
    except transport.TransportError as error:
        kind = DeliveryError.TIMEOUT if error.timed_out else DeliveryError.UNDELIVERED
        raise DeliveryFailed(f"connection failed: {error}", kind) from error
    if not 200 <= status < 300:
        raise DeliveryFailed(f"HTTP {status} {reason}", DeliveryError.HTTP_STATUS, status)


def _checked_destination(endpoint: WebhookEndpoint) -> destinations.Destination:
    try:
        return check_destination(endpoint.url)
    except destinations.Unresolvable as error:
        raise DeliveryFailed(f"connection failed: {error}") from error
    except destinations.DestinationRefused as error:
        logger.warning("delivery to webhook %s refused: %s", endpoint.pk, error)
        raise PermanentFailure(
            f"refused by the destination policy: {error}", DeliveryError.REFUSED
        ) from error
