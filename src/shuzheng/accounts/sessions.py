"""Session policy (issue 9, point 5): an idle timeout and an absolute lifetime.

A session notes when it began and when it was last used. ``SESSION_IDLE_MINUTES`` without a
request, or ``SESSION_MAX_HOURS`` after the login whatever the activity, end it: the next
request is signed out (audited as a logout with its reason) and told why on the login page.
The times are the system's, as in ``shuzheng.accounts.authentication``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import logout
from django.utils import timezone

SIGNED_IN_AT = "shuzheng_signed_in_at"
SEEN_AT = "shuzheng_seen_at"
#: The last use is written back at most this often, so that reads do not each save the session.
SEEN_RESOLUTION = datetime.timedelta(minutes=1)
IDLE_TIMEOUT = "idle_timeout"
SESSION_LIFETIME = "session_lifetime"
SIGNED_OUT = "signed_out"


def start(request) -> None:
    """Note the beginning of a signed-in session (on every login, whatever its path)."""
    now = _now()
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now


def expiry_reason(request) -> str | None:
    """Why this signed-in session is over (``idle_timeout``, ``session_lifetime``), if it is."""
    signed_in_at = request.session.get(SIGNED_IN_AT)
    seen_at = request.session.get(SEEN_AT)
    if signed_in_at is None or seen_at is None:
        # A session from before this policy: its lifetime counts from now.
        start(request)
        return None
    now = _now()
    if now - signed_in_at > settings.SESSION_MAX_HOURS * 3600:
        return SESSION_LIFETIME
    if now - seen_at > settings.SESSION_IDLE_MINUTES * 60:
        return IDLE_TIMEOUT
    return None


def touch(request) -> None:
    """Note a use of the session (written at most once per ``SEEN_RESOLUTION``)."""
    now = _now()
    if now - request.session.get(SEEN_AT, 0) >= SEEN_RESOLUTION.total_seconds():
        request.session[SEEN_AT] = now


def end(request, reason: str) -> None:
    """Sign the session out; the logout's audit event records ``reason``."""
    request.session_end_reason = reason
    logout(request)


def end_reason(request) -> str:
    return getattr(request, "session_end_reason", SIGNED_OUT)


def _now() -> float:
    return timezone.now().timestamp()
