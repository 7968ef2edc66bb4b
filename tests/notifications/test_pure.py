"""The pure modules: webhook signatures and the back-off schedule (the SM3, HMAC-SM3 and
SM4 primitives are tested in tests/test_crypto.py)."""

import datetime as dt

import pytest

from shuzheng.notifications import signing
from shuzheng.notifications.backoff import DEFAULT_DELAYS, RetryPolicy


def test_signature_header_covers_timestamp_and_body():
    header = signing.signature_header("whsec_x", "1700000000", b'{"a":1}')
    assert header.startswith("hmac-sm3=") and len(header) == len("hmac-sm3=") + 64
    assert signing.signature_matches("whsec_x", "1700000000", b'{"a":1}', header)
    assert not signing.signature_matches("whsec_x", "1700000001", b'{"a":1}', header)
    assert not signing.signature_matches("whsec_x", "1700000000", b'{"a":2}', header)
    assert not signing.signature_matches("whsec_y", "1700000000", b'{"a":1}', header)


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
