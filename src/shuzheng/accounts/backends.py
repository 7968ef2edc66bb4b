"""The authentication backend: Django's model backend that also answers ``has_perm`` for
the platform's permission vocabulary (``shuzheng.accounts.permissions``).

So apps below accounts — the audit trail — check permissions the standard Django way
(``request.user.has_perm("view_audit")``, ``@permission_required``) without importing
accounts, and the answer is the one :func:`~shuzheng.accounts.authorization.has_perm`
gives everywhere else. Django's own ``app_label.codename`` permissions (the admin's) are
still answered by the model backend.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from shuzheng.accounts.authorization import has_perm
from shuzheng.accounts.permissions import PERMISSION_NAMES


class RoleBackend(ModelBackend):
    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        """``perm`` of the vocabulary for ``user_obj``'s role; ``obj``, when given, is the
        unit a unit-bound permission is exercised for."""
        if perm in PERMISSION_NAMES:
            return has_perm(user_obj, perm, unit=obj)
        return super().has_perm(user_obj, perm, obj=obj)
