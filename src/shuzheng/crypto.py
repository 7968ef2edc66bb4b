"""The national algorithms, wrapped once: SM3 hashing, HMAC-SM3 and SM4 sealing.

Pure Python over ``gmssl`` (a pure-Python implementation), no Django: a kernel module that
accounts (API token digests) and notifications (webhook signatures, sealed secrets) both
import. Government systems in China are assessed against the national algorithms (密评,
GM/T 0054): SM3 is GB/T 32905-2016, SM4 is GB/T 32907-2016, HMAC is RFC 2104 over SM3
(block size 64 bytes, digest 32 bytes).
"""

from __future__ import annotations

import hmac
import secrets

from gmssl import func, sm3, sm4

SM3_BLOCK_SIZE = 64
SM4_KEY_SIZE = 16
SM4_BLOCK_SIZE = 16


def sm3_digest(data: bytes) -> bytes:
    """The 32-byte SM3 digest of ``data``; text must be encoded first (TypeError)."""
    if not isinstance(data, bytes | bytearray):
        raise TypeError("SM3 hashes bytes; encode text first")
    return bytes.fromhex(sm3.sm3_hash(func.bytes_to_list(bytes(data))))


def sm3_hex(data: bytes) -> str:
    """The SM3 digest of ``data`` as 64 lowercase hex digits."""
    return sm3_digest(data).hex()


def hmac_sm3(key: bytes, message: bytes) -> bytes:
    """HMAC-SM3 per RFC 2104: H((K ^ opad) || H((K ^ ipad) || message))."""
    if len(key) > SM3_BLOCK_SIZE:
        key = sm3_digest(key)
    key = key.ljust(SM3_BLOCK_SIZE, b"\x00")
    inner = sm3_digest(bytes(b ^ 0x36 for b in key) + message)
    return sm3_digest(bytes(b ^ 0x5C for b in key) + inner)


def digests_match(expected_hex: str, actual_hex: str) -> bool:
    """Compare two hex digests in constant time, so that timing reveals nothing."""
    return hmac.compare_digest(expected_hex.encode("ascii"), actual_hex.encode("ascii"))


def derive_key(master: str, purpose: str) -> bytes:
    """A 128-bit SM4 key for ``purpose`` derived from a master secret (HMAC-SM3), so that
    rotating the master and reading a database dump without it both open nothing."""
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
