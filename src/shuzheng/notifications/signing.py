"""Signing webhook requests with HMAC-SM3, and sealing webhook secrets with SM4.

Pure Python over ``gmssl``, no Django. Receivers verify

    X-Shuzheng-Signature: hmac-sm3=<hex of HMAC-SM3(secret, timestamp + "." + body)>

HMAC is RFC 2104 with SM3 (GB/T 32905-2016, block size 64 bytes, digest 32 bytes): the
national algorithms are what government systems are assessed against (密评, GM/T 0054).
Signing the timestamp with the body lets a receiver refuse replays of old requests.
"""

from __future__ import annotations

import hmac
import secrets

from gmssl import func, sm3, sm4

SM3_BLOCK_SIZE = 64
SIGNATURE_SCHEME = "hmac-sm3"
SM4_KEY_SIZE = 16
SM4_BLOCK_SIZE = 16


def sm3_digest(data: bytes) -> bytes:
    return bytes.fromhex(sm3.sm3_hash(func.bytes_to_list(bytes(data))))


def hmac_sm3(key: bytes, message: bytes) -> bytes:
    """HMAC-SM3 per RFC 2104: H((K ^ opad) || H((K ^ ipad) || message))."""
    if len(key) > SM3_BLOCK_SIZE:
        key = sm3_digest(key)
    key = key.ljust(SM3_BLOCK_SIZE, b"\x00")
    inner = sm3_digest(bytes(b ^ 0x36 for b in key) + message)
    return sm3_digest(bytes(b ^ 0x5C for b in key) + inner)


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


def derive_key(master: str, purpose: str) -> bytes:
    """A 128-bit SM4 key for ``purpose`` derived from the installation's master secret, so
    that rotating SECRET_KEY and reading a database dump without it both open nothing."""
    return hmac_sm3(master.encode("utf-8"), purpose.encode("utf-8"))[:SM4_KEY_SIZE]


def seal(key: bytes, plaintext: str) -> str:
    """SM4-CBC with a random IV and PKCS#7 padding; returns hex(IV || ciphertext)."""
    iv = secrets.token_bytes(SM4_BLOCK_SIZE)
    cipher = sm4.CryptSM4()
    cipher.set_key(key, sm4.SM4_ENCRYPT)
    return (iv + cipher.crypt_cbc(iv, plaintext.encode("utf-8"))).hex()


def unseal(key: bytes, sealed: str) -> str:
    """The plaintext :func:`seal` sealed with ``key``."""
    raw = bytes.fromhex(sealed)
    iv, ciphertext = raw[:SM4_BLOCK_SIZE], raw[SM4_BLOCK_SIZE:]
    cipher = sm4.CryptSM4()
    cipher.set_key(key, sm4.SM4_DECRYPT)
    return cipher.crypt_cbc(iv, ciphertext).decode("utf-8")
