"""Signing in with a password, the same way on every form that takes one (issue 9, point 1).

The login page, the admin's login page and the password change's re-authentication all go
through :func:`sign_in` or :func:`verify_password`, so one set of limits guards them all:

- **per account**: after ``LOGIN_ACCOUNT_FAILURES`` failed logins of one username (from any
  address) within ``LOGIN_FAILURE_WINDOW_MINUTES`` and since its last successful login, every
  further try must wait;
- **per address**: after ``LOGIN_ADDRESS_FAILURES`` failures from one client address (any
  usernames: a password spray), every further try from there must wait.

The wait is progressive — ``LOGIN_DELAY_SECONDS``, doubled with every further failure, capped
at ``LOGIN_DELAY_MAX_SECONDS`` — and never permanent: once it has passed, the right password
works again, so bad guesses cannot lock the owner out for good. Nor can someone elsewhere keep
the owner waiting by guessing on: an address the account signed in from within
``LOGIN_FAMILIAR_ADDRESS_DAYS`` is spared the account's wait (not the address's own). A try during the wait is
refused without looking at the password (so it cannot be used to guess) and does not lengthen
the wait. Failures are counted from the audit trail, the one record of them, which every web
worker process shares.

Times are the system's (``django.utils.timezone.now``), like the audit trail's timestamps, not
``shuzheng.clock``: a demo that freezes the platform clock must not freeze the limits too.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.utils import timezone

from shuzheng.accounts import services
from shuzheng.accounts.models import User
from shuzheng.audit.models import AuditEvent
from shuzheng.client_address import client_address

#: The exponent of the progressive delay stops growing here; the cap applies long before.
MAX_DOUBLINGS = 30


class LoginDelayed(Exception):
    """Too many failures lately: no password is checked before ``retry_at``."""

    def __init__(self, retry_at: datetime.datetime):
        super().__init__(f"login delayed until {retry_at.isoformat()}")
        self.retry_at = retry_at


def sign_in(request, username: str, password: str, confirm=None) -> User | None:
    """The active user ``username`` proves with ``password``, or None; audited either way.

    ``confirm(user)`` may refuse a proven user with a ``ValidationError`` (the admin admits
    administrators only): that counts as a failed login. Raises :class:`LoginDelayed` while
    the account or the address must wait.
    """
    address = client_address(request)
    _refuse_while_delayed(username, address)
    user = authenticate(request, username=username, password=password)
    if user is not None:
        if confirm is not None:
            try:
                confirm(user)
            except ValidationError:
                services.record_login_failure(username, address)
                raise
        services.record_login(user, address)
    return user


def verify_password(request, user: User, password: str) -> bool:
    """Whether ``password`` is ``user``'s, for a form that asks it again (password change).

    The same limits as :func:`sign_in`; a wrong password counts as a failed login.
    """
    address = client_address(request)
    _refuse_while_delayed(user.get_username(), address)
    if user.check_password(password):
        return True
    services.record_login_failure(user.get_username(), address)
    return False


def retry_at(username: str, address: str | None) -> datetime.datetime | None:
    """When ``username`` may try again from ``address``, if it must wait now."""
    now = timezone.now()
    window_start = now - datetime.timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    failures = AuditEvent.objects.filter(action=services.LOGIN_FAILED, at__gte=window_start)
    logins = AuditEvent.objects.filter(action=services.LOGIN, object_repr=username)
    last_login = logins.filter(at__gte=window_start).aggregate(last=Max("at"))["last"]
    waits = [
        _wait_until(
            failures.filter(object_repr=username, at__gt=last_login or window_start),
            settings.LOGIN_ACCOUNT_FAILURES,
        )
    ]
    if waits[0] is not None and waits[0] > now and _is_familiar(logins, address, now):
        waits = []
    if address:
        waits.append(
            _wait_until(failures.filter(remote_addr=address), settings.LOGIN_ADDRESS_FAILURES)
        )
    latest = max((wait for wait in waits if wait is not None), default=None)
    return latest if latest is not None and latest > now else None


def _is_familiar(logins, address: str | None, now: datetime.datetime) -> bool:
    """Whether the account signed in from ``address`` lately: its owner's own place, where
    someone else's failures elsewhere do not make them wait (the address's limit still holds)."""
    days = settings.LOGIN_FAMILIAR_ADDRESS_DAYS
    if not address or days <= 0:
        return False
    since = now - datetime.timedelta(days=days)
    return logins.filter(remote_addr=address, at__gte=since).exists()


def delay_after(failures: int, limit: int) -> datetime.timedelta | None:
    """The wait after ``failures`` failures, none below ``limit``: ``LOGIN_DELAY_SECONDS``
    at the limit, doubled with each further failure, capped at ``LOGIN_DELAY_MAX_SECONDS``."""
    if failures < limit:
        return None
    doublings = min(failures - limit, MAX_DOUBLINGS)
    seconds = min(settings.LOGIN_DELAY_SECONDS * 2**doublings, settings.LOGIN_DELAY_MAX_SECONDS)
    return datetime.timedelta(seconds=seconds)


def _refuse_while_delayed(username: str, address: str | None) -> None:
    until = retry_at(username, address)
    if until is not None:
        services.record_login_delayed(username, address, until)
        raise LoginDelayed(until)


def _wait_until(failures, limit: int) -> datetime.datetime | None:
    counted = failures.aggregate(count=Count("id"), last=Max("at"))
    delay = delay_after(counted["count"], limit)
    return counted["last"] + delay if delay is not None else None
