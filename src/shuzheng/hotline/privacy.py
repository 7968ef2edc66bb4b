"""Masking a caller's personal information (个人信息保护法 第二十八、五十一条: personal
information is shown only to whom the purpose requires; issue 15, point 7).

Plain Python, no Django. A name keeps its first character (张**), a phone number its first
three and last four digits (139****5678, as 12345 work orders print it), an address its first
six characters; everything else is replaced by asterisks. ``phone_key`` gives the console a
caller's history by number without storing or querying the number in the open.
"""

from __future__ import annotations

import re

from shuzheng.privacy import MASK, keyed_digest

ADDRESS_KEPT = 6


def mask_name(name: str) -> str:
    name = name.strip()
    if not name:
        return ""
    return name[0] + MASK * max(len(name) - 1, 1)


def digits_of(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def mask_phone(phone: str) -> str:
    digits = digits_of(phone)
    if not digits:
        return ""
    if len(digits) <= 7:
        return MASK * (len(digits) - 2) + digits[-2:] if len(digits) > 2 else MASK * len(digits)
    return digits[:3] + MASK * (len(digits) - 7) + digits[-4:]


def mask_address(address: str) -> str:
    address = address.strip()
    if len(address) <= ADDRESS_KEPT:
        return MASK * len(address)
    return address[:ADDRESS_KEPT] + MASK * 4


def mask_email(email: str) -> str:
    """The first character of the mailbox and the domain (z***@example.org)."""
    local, _at, domain = email.strip().partition("@")
    if not domain:
        return MASK * len(local)
    return f"{local[:1]}{MASK * 3}@{domain}"


def phone_key(secret: str, phone: str) -> str:
    """HMAC-SM3 of the number's digits under a key derived for this purpose ("" if none)."""
    return keyed_digest(secret, "hotline.caller.phone", digits_of(phone))
