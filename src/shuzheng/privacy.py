"""Keeping personal identifiers out of the open (个人信息保护法 第二十八、五十一条: sensitive
personal information is processed only as the purpose requires, under measures such as
encryption and de-identification).

Plain Python, no Django: a kernel module that the hotline (a caller's phone number) and the
trust services (a licence holder's 身份证号 or 统一社会信用代码) share. An identifier is stored
twice over, never in the open: as a keyed digest, so that records of the same person are found
by an equality query, and masked, so that a page can show which one it is.
"""

from __future__ import annotations

from shuzheng.crypto import derive_key, hmac_sm3

MASK = "*"


def keyed_digest(secret: str, purpose: str, value: str) -> str:
    """HMAC-SM3 of ``value`` under a key derived from ``secret`` for ``purpose`` ("" if empty).

    One key per purpose: a digest made for one use matches nothing made for another, and a
    copy of the table opens nothing without the secret."""
    if not value:
        return ""
    return hmac_sm3(derive_key(secret, purpose), value.encode("utf-8")).hex()


def mask_middle(text: str, *, keep_start: int, keep_end: int) -> str:
    """``text`` with all but its first ``keep_start`` and last ``keep_end`` characters masked;
    a text too short to keep both ends is masked whole."""
    if len(text) <= keep_start + keep_end:
        return MASK * len(text)
    middle = len(text) - keep_start - keep_end
    return text[:keep_start] + MASK * middle + text[len(text) - keep_end :]
