"""The change feed's opaque signed cursors (issue 16, point 4; bad input: a malformed cursor)."""

import base64

import pytest

from shuzheng.exchange.feed_cursor import Cursor, CursorError, decode, encode

KEY = b"k" * 16


def test_a_cursor_round_trips_and_is_opaque():
    text = encode(KEY, Cursor(7, 12345))
    assert decode(KEY, text) == Cursor(7, 12345)
    assert decode(KEY, text, subscription_id=7) == Cursor(7, 12345)
    assert "12345" not in text and "." not in text


def test_position_zero_is_the_start_of_a_feed():
    assert decode(KEY, encode(KEY, Cursor(1, 0))).position == 0


@pytest.mark.parametrize("bad", [Cursor(0, 1), Cursor(1, -1)])
def test_nonsense_cursors_are_not_encoded(bad):
    with pytest.raises(ValueError):
        encode(KEY, bad)


def test_an_edited_position_is_refused():
    text = encode(KEY, Cursor(7, 10))
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    forged = raw.replace(b".10.", b".99.", 1)
    forged_text = base64.urlsafe_b64encode(forged).rstrip(b"=").decode()
    with pytest.raises(CursorError, match="signature"):
        decode(KEY, forged_text)


def test_another_key_or_another_subscription_is_refused():
    text = encode(KEY, Cursor(7, 10))
    with pytest.raises(CursorError):
        decode(b"x" * 16, text)
    with pytest.raises(CursorError, match="another subscription"):
        decode(KEY, text, subscription_id=8)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "!!!",
        "abc",
        "a" * 500,
        "Zm9v",
        "' OR 1=1 --",
        base64.urlsafe_b64encode(b"c1.1.2").decode(),
    ],
)
def test_malformed_cursors_raise_cursor_error(text):
    with pytest.raises(CursorError):
        decode(KEY, text)


def test_a_non_text_cursor_is_refused():
    with pytest.raises(CursorError):
        decode(KEY, None)  # type: ignore[arg-type]
