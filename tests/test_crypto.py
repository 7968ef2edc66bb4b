"""The one crypto module (shuzheng.crypto): SM3, SM4 and SM2 against the standards'
vectors, HMAC-SM3 against the standard library's HMAC, SM4 sealing (GCM, and the older CBC
values still open)."""

import hmac

import pytest

from shuzheng import crypto


class StdlibSm3:
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
        return StdlibSm3(self._data)

    def digest(self) -> bytes:
        return crypto.sm3_digest(self._data)


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
    expected = hmac.new(key, message, digestmod=StdlibSm3).digest().hex()
    assert crypto.hmac_sm3(key, message).hex() == expected


def test_sealed_secret_opens_only_with_its_key():
    key = crypto.derive_key("master", "purpose")
    assert len(key) == crypto.SM4_KEY_SIZE
    sealed = crypto.seal(key, "whsec_秘密")
    assert "whsec" not in sealed
    assert crypto.seal(key, "whsec_秘密") != sealed  # a fresh IV every time
    assert crypto.unseal(key, sealed) == "whsec_秘密"
    other = crypto.derive_key("another master", "purpose")
    with pytest.raises(crypto.SealError):
        crypto.unseal(other, sealed)


def test_sealed_value_is_authenticated():
    key = crypto.derive_key("master", "purpose")
    sealed = crypto.seal(key, "whsec_秘密")
    assert sealed.startswith(crypto.GCM_PREFIX)
    raw = bytearray(bytes.fromhex(sealed.removeprefix(crypto.GCM_PREFIX)))
    raw[len(raw) // 2] ^= 1
    with pytest.raises(crypto.SealError):
        crypto.unseal(key, crypto.GCM_PREFIX + raw.hex())
    with pytest.raises(crypto.SealError):
        crypto.unseal(key, sealed[:20])


def test_older_cbc_sealed_values_still_open():
    # Sealed by the former gmssl-based seal(): SM4-CBC, IV 00..0f, PKCS#7.
    key = crypto.derive_key("master", "purpose")
    legacy = "000102030405060708090a0b0c0d0e0f86619d43b976308d54ebb965b2e334df"
    assert crypto.unseal(key, legacy) == "whsec_秘密"
    with pytest.raises(crypto.SealError):
        crypto.unseal(crypto.derive_key("other", "purpose"), legacy)


def test_sm4_standard_vector():
    # GB/T 32907-2016, appendix A, example 1: key = plaintext = 0123456789abcdeffedcba9876543210.
    block = bytes.fromhex("0123456789abcdeffedcba9876543210")
    assert crypto.sm4_ecb_block(block, block).hex() == "681edf34d206965e86b3e94f536e4246"


def test_sm4_gcm_rfc8998_vector():
    # RFC 8998, appendix A.1 (SM4-GCM): nonce 00001234567800000000ABCD, AAD FEEDFACEDEADBEEF...
    key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    nonce = bytes.fromhex("00001234567800000000ABCD")
    aad = bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")
    plaintext = bytes.fromhex(
        "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
        "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA"
    )
    expected = (
        "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
        "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
        "83DE3541E4C2B58177E065A9BF7B62EC"
    ).lower()
    assert crypto.sm4_gcm_decrypt(key, nonce + bytes.fromhex(expected), aad) == plaintext
    sealed = crypto.sm4_gcm_encrypt(key, plaintext, aad)
    assert crypto.sm4_gcm_decrypt(key, sealed, aad) == plaintext
    with pytest.raises(crypto.SealError):
        crypto.sm4_gcm_decrypt(key, sealed, b"other associated data")


# GB/T 32918.5-2017 (and GM/T 0003.5), the signature example on the recommended curve with the
# default user id 1234567812345678: message "message digest".
SM2_D = 0x3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8
SM2_QX = 0x09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020
SM2_QY = 0xCCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13
SM2_R = 0xF5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3
SM2_S = 0xB1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA


def _der_signature(r: int, s: int) -> bytes:
    def integer(value: int) -> bytes:
        body = value.to_bytes((value.bit_length() + 8) // 8, "big")
        return b"\x02" + bytes([len(body)]) + body

    body = integer(r) + integer(s)
    return b"\x30" + bytes([len(body)]) + body


def test_sm2_standard_signature_verifies():
    public = crypto.sm2_public_key_from_point(SM2_QX, SM2_QY)
    signature = _der_signature(SM2_R, SM2_S)
    assert crypto.sm2_verify(public, b"message digest", signature)
    assert not crypto.sm2_verify(public, b"message digesT", signature)
    assert not crypto.sm2_verify(public, b"message digest", _der_signature(SM2_R, SM2_S ^ 1))


def test_sm2_standard_key_pair_and_own_signatures():
    private = crypto.sm2_private_key_from_int(SM2_D)
    public = crypto.sm2_public_key(private)
    assert public == crypto.sm2_public_key_from_point(SM2_QX, SM2_QY)
    signature = crypto.sm2_sign(private, b"message digest")
    assert crypto.sm2_verify(public, b"message digest", signature)
    # SM2 signs with a fresh random k each time.
    assert crypto.sm2_sign(private, b"message digest") != signature


def test_sm2_generated_keys_and_malformed_input():
    private = crypto.sm2_generate_private_key()
    public = crypto.sm2_public_key(private)
    signature = crypto.sm2_sign(private, "电子证照".encode())
    assert crypto.sm2_verify(public, "电子证照".encode(), signature)
    other = crypto.sm2_public_key(crypto.sm2_generate_private_key())
    assert not crypto.sm2_verify(other, "电子证照".encode(), signature)
    assert not crypto.sm2_verify(public, "电子证照".encode(), signature[:-1])
    assert not crypto.sm2_verify(public, "电子证照".encode(), b"not a signature")
    assert not crypto.sm2_verify(b"not a key", "电子证照".encode(), signature)
