"""Signal receivers of accounts: failed logins go to the audit trail (issue 2)."""

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from shuzheng.accounts.services import record_login_failure


@receiver(user_login_failed)
def audit_login_failure(sender, credentials, request=None, **kwargs):
    remote_addr = request.META.get("REMOTE_ADDR") if request is not None else None
    record_login_failure(credentials.get("username", ""), remote_addr)
