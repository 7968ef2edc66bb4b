"""Signing webhook requests with HMAC-SM3 (the algorithms live in ``shuzheng.crypto``).

Pure Python, no Django. Receivers verify

    X-Shuzheng-Signature: hmac-sm3=<hex of HMAC-SM3(secret, timestamp + "." + body)>

Signing the timestamp with the body lets a receiver refuse replays of old requests.
"""

from __future__ import annotations

import hmac
import secrets

from shuzheng.crypto import hmac_sm3

SIGNATURE_SCHEME = "hmac-sm3"


def signed_payload(timestamp: str, body: bytes) -> bytes:
    return timestamp.encode("ascii") + b"." + body


def signature_header(secret: str, timestamp: str, body: bytes) -> str:
    """The value of ``X-Shuzheng-Signature`` for a request with this timestamp and body."""
    digest = hmac_sm3(secret.encode("utf-8"), signed_payload(timestamp, body))
    return f"{SIGNATURE_SCHEME}={digest.hex()}"


def signature_matches(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    """Whether ``header`` is the right signature, compared in constant time (for receivers
    written in Python, and for the tests)."""
    expected = signature_header(secret, timestamp, body)
    return hmac.compare_digest(expected.encode("ascii"), (header or "").encode("ascii"))


def new_secret() -> str:
    """A fresh webhook secret: 32 random bytes, URL-safe."""
    return "whsec_" + secrets.token_urlsafe(32)
