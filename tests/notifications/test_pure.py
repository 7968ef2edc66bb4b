"""The pure modules: HMAC-SM3 signing, SM4 sealing, the back-off schedule."""

import datetime as dt
import hmac

import pytest
from gmssl import func, sm3

from shuzheng.notifications import signing
from shuzheng.notifications.backoff import DEFAULT_DELAYS, RetryPolicy


class GmsslSm3:
    """SM3 behind hashlib's interface, so the standard library's HMAC can use it: an HMAC
    computed independently of signing.hmac_sm3."""

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


def test_sm3_known_vector():
    # GB/T 32905-2016, example 1.
    assert signing.sm3_digest(b"abc").hex() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )


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
    assert signing.hmac_sm3(key, message).hex() == expected


def test_signature_header_covers_timestamp_and_body():
    header = signing.signature_header("whsec_x", "1700000000", b'{"a":1}')
    assert header.startswith("hmac-sm3=") and len(header) == len("hmac-sm3=") + 64
    assert signing.signature_matches("whsec_x", "1700000000", b'{"a":1}', header)
    assert not signing.signature_matches("whsec_x", "1700000001", b'{"a":1}', header)
    assert not signing.signature_matches("whsec_x", "1700000000", b'{"a":2}', header)
    assert not signing.signature_matches("whsec_y", "1700000000", b'{"a":1}', header)


def test_sealed_secret_opens_only_with_its_key():
    key = signing.derive_key("master", "purpose")
    sealed = signing.seal(key, "whsec_秘密")
    assert "whsec" not in sealed
    assert signing.seal(key, "whsec_秘密") != sealed  # a fresh IV every time
    assert signing.unseal(key, sealed) == "whsec_秘密"
    other = signing.derive_key("another master", "purpose")
    try:
        opened = signing.unseal(other, sealed)
    except (ValueError, UnicodeDecodeError):
        opened = None
    assert opened != "whsec_秘密"


def test_default_schedule_is_1m_5m_30m_2h_12h_then_dead():
    policy = RetryPolicy()
    now = dt.datetime(2024, 1, 1, 9, 0, tzinfo=dt.UTC)
    waits = [policy.next_attempt_at(n, now) - now for n in range(1, 6)]
    assert waits == [dt.timedelta(seconds=s) for s in DEFAULT_DELAYS]
    assert [w.total_seconds() for w in waits] == [60, 300, 1800, 7200, 43200]
    assert policy.next_attempt_at(6, now) is None


def test_schedule_is_configurable_and_repeats_its_last_delay():
    policy = RetryPolicy.from_settings([10, 20], 5)
    now = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    assert [policy.delay_after(n).seconds for n in (1, 2, 3, 4)] == [10, 20, 20, 20]
    assert policy.gives_up_after(5) and not policy.gives_up_after(4)
    assert policy.next_attempt_at(5, now) is None


@pytest.mark.parametrize(("delays", "attempts"), [([], 3), ([0], 3), ([10], 0)])
def test_bad_schedules_are_refused(delays, attempts):
    with pytest.raises(ValueError):
        RetryPolicy(delays=tuple(delays) or (), max_attempts=attempts)
