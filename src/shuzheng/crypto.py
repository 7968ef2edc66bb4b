"""The national algorithms, wrapped once: SM3, HMAC-SM3, SM4 sealing and SM2 signatures.

Over ``tongsuopy`` (pyca/cryptography's API on the Tongsuo library, chosen by measurement:
bench/sm2_bench.py, docs/benchmarks.md), no Django: a kernel module that accounts (API token
digests), notifications (webhook signatures, sealed secrets), audit (the chain) and trust
(seals, certificates) all import. Government systems in China are assessed against the
national algorithms (密评, GB/T 39786-2021): SM3 is GB/T 32905-2016, SM4 is GB/T 32907-2016,
SM2 signatures are GB/T 32918-2016 with the default user id of GM/T 0009-2012
(``1234567812345678``, which Tongsuo applies), HMAC is RFC 2104 over SM3 (block size 64
bytes, digest 32 bytes).
"""

from __future__ import annotations

import hmac
import secrets

from tongsuopy.crypto import hashes, serialization
from tongsuopy.crypto.asymciphers import ec
from tongsuopy.crypto.ciphers import Cipher, algorithms, modes
from tongsuopy.crypto.ciphers.aead import SM4GCM
from tongsuopy.crypto.exceptions import InternalError, InvalidSignature, InvalidTag

SM3_BLOCK_SIZE = 64
SM4_KEY_SIZE = 16
SM4_BLOCK_SIZE = 16
GCM_NONCE_SIZE = 12
# The prefix of a sealed value in SM4-GCM; a value without it is the older SM4-CBC format,
# which unseal still opens.
GCM_PREFIX = "g1:"
# GM/T 0009-2012's default signer id, the one Tongsuo binds into Z_A (GB/T 32918.2, 5.5).
SM2_DEFAULT_USER_ID = b"1234567812345678"


class SealError(ValueError):
    """A sealed value that does not open with this key: altered, truncated or another key's."""


def sm3_digest(data: bytes) -> bytes:
    """The 32-byte SM3 digest of ``data``; text must be encoded first (TypeError)."""
    if not isinstance(data, bytes | bytearray):
        raise TypeError("SM3 hashes bytes; encode text first")
    digest = hashes.Hash(hashes.SM3())
    digest.update(bytes(data))
    return digest.finalize()


def sm3_stream():
    """An SM3 hash fed in parts (``update(bytes)``, then ``finalize()`` → 32 bytes): the
    digest of a streamed answer, computed as it is sent (issue 16, the exchange's log)."""
    return hashes.Hash(hashes.SM3())


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


def sm4_gcm_encrypt(key: bytes, plaintext: bytes, associated_data: bytes = b"") -> bytes:
    """SM4-GCM (RFC 8998) with a random 96-bit nonce: nonce || ciphertext || 16-byte tag."""
    nonce = secrets.token_bytes(GCM_NONCE_SIZE)
    return nonce + SM4GCM(key).encrypt(nonce, plaintext, associated_data)


def sm4_gcm_decrypt(key: bytes, sealed: bytes, associated_data: bytes = b"") -> bytes:
    """The plaintext of :func:`sm4_gcm_encrypt`; SealError when the tag does not match
    (altered, truncated, another key or other associated data)."""
    nonce, body = sealed[:GCM_NONCE_SIZE], sealed[GCM_NONCE_SIZE:]
    if len(nonce) != GCM_NONCE_SIZE or len(body) < SM4_BLOCK_SIZE:
        raise SealError("sealed value too short")
    try:
        return SM4GCM(key).decrypt(nonce, body, associated_data)
    except InvalidTag as error:
        raise SealError("sealed value does not authenticate") from error


def sm4_ecb_block(key: bytes, block: bytes) -> bytes:
    """One raw SM4 block encryption: the primitive the GB/T 32907 test vector checks."""
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    return encryptor.update(block) + encryptor.finalize()


def seal(key: bytes, plaintext: str) -> str:
    """SM4-GCM with a random nonce; returns ``g1:`` + hex(nonce || ciphertext || tag)."""
    return GCM_PREFIX + sm4_gcm_encrypt(key, plaintext.encode("utf-8")).hex()


def unseal(key: bytes, sealed: str) -> str:
    """The plaintext :func:`seal` sealed with ``key``; also opens the older SM4-CBC values
    (hex(IV || ciphertext), PKCS#7), which carry no prefix. SealError if it does not open."""
    gcm = sealed.startswith(GCM_PREFIX)
    try:
        raw = bytes.fromhex(sealed.removeprefix(GCM_PREFIX))
    except ValueError as error:
        raise SealError("sealed value is not hex") from error
    if gcm:
        return sm4_gcm_decrypt(key, raw).decode("utf-8")
    iv, ciphertext = raw[:SM4_BLOCK_SIZE], raw[SM4_BLOCK_SIZE:]
    if len(iv) != SM4_BLOCK_SIZE or not ciphertext or len(ciphertext) % SM4_BLOCK_SIZE:
        raise SealError("sealed value has no whole SM4 block")
    decryptor = Cipher(algorithms.SM4(key), modes.CBC(iv)).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    pad = padded[-1]
    if not 1 <= pad <= SM4_BLOCK_SIZE or padded[-pad:] != bytes([pad]) * pad:
        raise SealError("sealed value does not open with this key")
    try:
        return padded[:-pad].decode("utf-8")
    except UnicodeDecodeError as error:
        raise SealError("sealed value does not open with this key") from error


# SM2 (GB/T 32918): keys travel as PEM (PKCS#8 for private keys, SubjectPublicKeyInfo for
# public ones), signatures as DER (r, s).


def sm2_generate_private_key() -> bytes:
    """A new SM2 private key, PKCS#8 PEM, unencrypted (seal it before storing it)."""
    key = ec.generate_private_key(ec.SM2())
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def sm2_private_key_from_int(value: int) -> bytes:
    """The SM2 private key with scalar ``value`` as PKCS#8 PEM (for test vectors)."""
    key = ec.derive_private_key(value, ec.SM2())
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def sm2_public_key(private_pem: bytes) -> bytes:
    """The public key of ``private_pem`` as SubjectPublicKeyInfo PEM."""
    key = serialization.load_pem_private_key(private_pem, password=None)
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def sm2_public_key_from_point(x: int, y: int) -> bytes:
    """The SM2 public key at point (x, y) as SubjectPublicKeyInfo PEM."""
    key = ec.EllipticCurvePublicNumbers(x, y, ec.SM2()).public_key()
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def sm2_sign(private_pem: bytes, message: bytes) -> bytes:
    """The SM2 signature (SM3, default user id) of ``message``, DER-encoded (r, s)."""
    key = serialization.load_pem_private_key(private_pem, password=None)
    return key.sign(message, ec.ECDSA(hashes.SM3()))


def sm2_verify(public_pem: bytes, message: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is ``public_pem``'s SM2 signature of ``message``. A malformed
    key or signature is a False, not an exception: verification answers, it does not crash."""
    try:
        key = serialization.load_pem_public_key(public_pem)
        key.verify(signature, message, ec.ECDSA(hashes.SM3()))
    except (InvalidSignature, InternalError, ValueError, TypeError):
        return False
    return True
