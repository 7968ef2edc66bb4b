"""The address a request comes from, as the audit trail and the sign-in limits record it.

One rule for every place that records an address, so that behind a proxy the audit trail
names the same client the login limits count.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The client's IP address: ``REMOTE_ADDR``, or the header a trusted proxy sets.

    ``CLIENT_ADDRESS_HEADER`` (e.g. ``X-Real-IP``) is read only when configured: any client
    can send such a header, so only a proxy that overwrites it may be trusted with it. Of a
    list (``X-Forwarded-For``) the last entry is the one the nearest proxy added.
    """
    header = settings.CLIENT_ADDRESS_HEADER
    if header:
        meta_key = "HTTP_" + header.upper().replace("-", "_")
        forwarded = request.META.get(meta_key, "").split(",")[-1].strip()
        if _is_ip_address(forwarded):
            return forwarded
    remote = request.META.get("REMOTE_ADDR", "")
    return remote if _is_ip_address(remote) else None


def _is_ip_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
