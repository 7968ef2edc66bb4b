"""The data API's access tokens (issue 16, point 3: "consumers query with a scoped token").

A token belongs to a consumer unit, names the resources it may read and expires; its secret
``szx_<prefix>_<random>`` is shown once and only its SM3 digest is kept (as the platform's
own API tokens, ``accounts.services``; GB/T 39786-2021 asks for the national algorithms). A
token alone reads nothing: every query also needs a live grant for the token's unit and the
resource (``exchange.data_access``), so revoking either stops the next request.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils.translation import gettext as _

from shuzheng import clock
from shuzheng.accounts.authorization import ensure_perm
from shuzheng.audit.services import record_change
from shuzheng.catalog.models import DataResource
from shuzheng.crypto import digests_match, sm3_hex
from shuzheng.exchange.models import AccessToken
from shuzheng.exchange.problems import ExchangeProblem

TOKEN_PERMISSION = "manage_exchange_tokens"
PREFIX = "szx"
#: A token lives at most this long; a consumer makes a new one rather than keep one forever.
MAX_LIFETIME = dt.timedelta(days=366)
DEFAULT_LIFETIME = dt.timedelta(days=90)
#: How often ``last_used_at`` is written (not on every call: the data API's hot path).
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenError(ValueError):
    """A token that cannot be created or revoked as asked; nothing changed."""


def _digest(secret: str) -> str:
    return sm3_hex(secret.encode())


@transaction.atomic
def create_access_token(
    consumer,
    *,
    name: str,
    resources: Iterable[DataResource],
    expires_at: dt.datetime | None = None,
    actor=None,
    is_sample: bool = False,
) -> tuple[AccessToken, str]:
    """A new token for ``consumer`` reading ``resources``; returns it and its secret, which
    is shown once and never stored."""
    if actor is not None:
        ensure_perm(actor, TOKEN_PERMISSION, consumer)
    name = (name or "").strip()
    if not name:
        raise TokenError(_("Give the token a name: which system uses it?"))
    if len(name) > AccessToken._meta.get_field("name").max_length:
        raise TokenError(_("A token name has at most 100 characters."))
    resources = list(resources)
    if not resources:
        raise TokenError(_("Choose the data resources the token reads."))
    now = clock.now()
    expires_at = expires_at or now + DEFAULT_LIFETIME
    if expires_at <= now:
        raise TokenError(_("The expiry must lie in the future."))
    if expires_at > now + MAX_LIFETIME:
        raise TokenError(_("A token lives at most one year."))
    prefix = secrets.token_hex(4)
    secret = f"{PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = AccessToken.objects.create(
        consumer=consumer,
        name=name,
        prefix=prefix,
        digest=_digest(secret),
        created_at=now,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        expires_at=expires_at,
        is_sample=is_sample,
    )
    token.resources.set(resources)
    record_change(
        actor=actor,
        action="exchange.token_create",
        obj=token,
        after={
            "consumer": consumer.pk,
            "prefix": prefix,
            "resources": [r.code for r in resources],
            "expires_at": expires_at.isoformat(),
        },
    )
    return token, secret


@transaction.atomic
def revoke_access_token(token: AccessToken, *, actor=None) -> AccessToken:
    """Revoke ``token``: its next request is refused (``token-revoked``)."""
    if actor is not None:
        ensure_perm(actor, TOKEN_PERMISSION, token.consumer_id)
    token = AccessToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise TokenError(_("The token is already revoked."))
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    record_change(
        actor=actor,
        action="exchange.token_revoke",
        obj=token,
        after={"revoked_at": token.revoked_at.isoformat()},
    )
    return token


def authenticate(raw: str | None) -> AccessToken:
    """The token ``raw`` proves, or ExchangeProblem: ``token-missing``, ``token-invalid``
    (unknown, malformed, wrong secret — alike), ``token-expired``, ``token-revoked``. Told
    apart only once the secret is proven, so a guesser learns nothing."""
    if not raw:
        raise ExchangeProblem("token-missing", "send Authorization: Bearer szx_…")
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or len(parts[1]) != 8:
        raise ExchangeProblem("token-invalid")
    # A raw query (the model's converters still apply): building the ORM query cost more CPU
    # than the lookup itself on the data API's hot path (docs/benchmarks.md).
    table = connection.ops.quote_name(AccessToken._meta.db_table)
    found = AccessToken.objects.raw(
        f"SELECT * FROM {table} WHERE prefix = %s ORDER BY created_at DESC LIMIT 1",  # noqa: S608 - model name
        [parts[1]],
    )
    token = next(iter(found), None)
    if token is None or not digests_match(token.digest, _digest(raw.strip())):
        raise ExchangeProblem("token-invalid")
    now = clock.now()
    if token.revoked_at is not None:
        raise ExchangeProblem("token-revoked", "this token was revoked; ask for a new one")
    if token.expires_at <= now:
        raise ExchangeProblem("token-expired", "this token has expired; create a new one")
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_of(consumer):
    return AccessToken.objects.filter(consumer=consumer).prefetch_related("resources")
