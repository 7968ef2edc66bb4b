"""Signal receivers of accounts: failed logins and logouts go to the audit trail, and a new
session notes when it began (issue 9: its absolute lifetime counts from there)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from shuzheng.accounts import services, sessions
from shuzheng.client_address import client_address


@receiver(user_login_failed)
def audit_login_failure(sender, credentials, request=None, **kwargs):
    remote_addr = client_address(request) if request is not None else None
    services.record_login_failure(credentials.get("username", ""), remote_addr)


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    sessions.start(request)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    """Every logout, whichever view or expiry ended the session (an anonymous one has no user)."""
    if user is not None:
        services.record_logout(user, client_address(request), sessions.end_reason(request))
