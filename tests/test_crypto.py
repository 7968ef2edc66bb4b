"""The one crypto module (shuzheng.crypto): SM3 against the standard's vectors, HMAC-SM3
against the standard library's HMAC, SM4 sealing."""

import hmac

import pytest
from gmssl import func, sm3

from shuzheng import crypto


class GmsslSm3:
    """SM3 behind hashlib's interface, so the standard library's HMAC can use it: an HMAC
    computed independently of crypto.hmac_sm3."""

    digest_size = 32
    block_size = 64
    name = "sm3"

    def __init__(self, data: bytes = b""):
        self._data = bytes(data)

    def update(self, data: bytes) -> None:
        self._data += bytes(data)

    def copy(self):
        return GmsslSm3(self._data)

    def digest(self) -> bytes:
        return bytes.fromhex(sm3.sm3_hash(func.bytes_to_list(self._data)))


@pytest.mark.parametrize(
    ("message", "digest"),
    [
        # GB/T 32905-2016, appendix A.1 (example 1).
        (b"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
        # GB/T 32905-2016, appendix A.2: "abcd" repeated 16 times (512 bits).
        (b"abcd" * 16, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
        # The empty message (GM/T 0004-2012 test data, also OpenSSL's sm3 of "").
        (b"", "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"),
    ],
)
def test_sm3_standard_vectors(message, digest):
    assert crypto.sm3_hex(message) == digest
    assert crypto.sm3_digest(message).hex() == digest


def test_sm3_refuses_text():
    with pytest.raises(TypeError):
        crypto.sm3_hex("abc")


def test_digests_match():
    assert crypto.digests_match(crypto.sm3_hex(b"a"), crypto.sm3_hex(b"a"))
    assert not crypto.digests_match(crypto.sm3_hex(b"a"), crypto.sm3_hex(b"b"))


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (b"key", b"The quick brown fox"),
        (b"", b""),
        (b"k" * 64, "政策推送".encode()),
        (b"a much longer key than one SM3 block of sixty-four bytes, hashed first" * 2, b"x"),
    ],
)
def test_hmac_sm3_matches_the_standard_library_hmac(key, message):
    expected = hmac.new(key, message, digestmod=GmsslSm3).digest().hex()
    assert crypto.hmac_sm3(key, message).hex() == expected


def test_sealed_secret_opens_only_with_its_key():
    key = crypto.derive_key("master", "purpose")
    assert len(key) == crypto.SM4_KEY_SIZE
    sealed = crypto.seal(key, "whsec_秘密")
    assert "whsec" not in sealed
    assert crypto.seal(key, "whsec_秘密") != sealed  # a fresh IV every time
    assert crypto.unseal(key, sealed) == "whsec_秘密"
    other = crypto.derive_key("another master", "purpose")
    try:
        opened = crypto.unseal(other, sealed)
    except (ValueError, UnicodeDecodeError):
        opened = None
    assert opened != "whsec_秘密"
