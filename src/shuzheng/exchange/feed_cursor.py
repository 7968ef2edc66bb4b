"""Opaque, signed cursors for the change feed's pull API (issue 16, point 4: "changes since
cursor, exactly once by cursor"; seed task 38: minute-level sharing).

Pure Python, no Django. A cursor names one subscription and the last outbox position its
consumer has received. It is opaque to the consumer (URL-safe base64, no structure to edit)
and signed with HMAC-SM3 under a key the caller derives from the platform's secret, so a
consumer can neither skip ahead, go back past what the platform chose to keep, nor read
another subscription's feed by editing the position or the subscription id. A cursor that
does not decode, carries another version, or whose signature does not match raises
:class:`CursorError` (the data API answers 400 problem+json ``malformed-cursor``).

Exactly once by cursor: the consumer sends the cursor it last received; the platform returns
the changes with a position greater than the cursor's, in position order, and a new cursor for
the last of them. Asking again with the same cursor returns the same changes (idempotent); a
consumer that stores the cursor with the data it applied therefore never misses nor repeats a
change, even across its own restarts.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from dataclasses import dataclass

from shuzheng.crypto import hmac_sm3

VERSION = "c1"
#: Bytes of the HMAC-SM3 tag kept in a cursor (128 bits: forging one is out of reach).
TAG_BYTES = 16
#: A cursor longer than this is refused before any decoding work.
MAX_LENGTH = 200


class CursorError(ValueError):
    """A cursor that is not one the platform issued for this subscription."""


@dataclass(frozen=True)
class Cursor:
    subscription_id: int
    position: int


def _tag(key: bytes, payload: bytes) -> bytes:
    return hmac_sm3(key, payload)[:TAG_BYTES]


def encode(key: bytes, cursor: Cursor) -> str:
    """The opaque text of ``cursor``, signed with ``key``."""
    if cursor.subscription_id < 1 or cursor.position < 0:
        raise ValueError("a cursor names a subscription (>= 1) and a position (>= 0)")
    payload = f"{VERSION}.{cursor.subscription_id}.{cursor.position}".encode("ascii")
    raw = payload + b"." + _tag(key, payload)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode(key: bytes, text: str, subscription_id: int | None = None) -> Cursor:
    """The cursor ``text`` names, after checking its signature (and, when given, that it
    belongs to ``subscription_id``); :class:`CursorError` for anything else."""
    if not isinstance(text, str) or not text or len(text) > MAX_LENGTH:
        raise CursorError("cursor is empty or too long")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise CursorError("cursor is not base64url") from error
    payload, separator, tag = (
        raw[: -TAG_BYTES - 1],
        raw[-TAG_BYTES - 1 : -TAG_BYTES],
        raw[-TAG_BYTES:],
    )
    if separator != b"." or len(tag) != TAG_BYTES:
        raise CursorError("cursor has no signature")
    if not hmac.compare_digest(_tag(key, payload), tag):
        raise CursorError("cursor signature does not match")
    try:
        version, subscription, position = payload.decode("ascii").split(".")
        cursor = Cursor(int(subscription), int(position))
    except (UnicodeDecodeError, ValueError) as error:
        raise CursorError("cursor payload is malformed") from error
    if version != VERSION:
        raise CursorError("cursor version is not supported")
    if subscription_id is not None and cursor.subscription_id != subscription_id:
        raise CursorError("cursor belongs to another subscription")
    return cursor
