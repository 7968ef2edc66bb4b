"""Checking permissions for Django views and django-ninja operations, in one place.

The table itself is pure data in :mod:`shuzheng.accounts.permissions`; this module reads it
for a request's user (issue 2, "Foundation": one permission vocabulary).

Pages::

    @require_perm("ingest_documents")
    def upload(request): ...

API operations (the decorator goes *below* the router's)::

    @router.post("", operation_id="tasks_create", auth=SIGNED_IN)
    @api_requires("supervise_tasks")
    def create_task(request, payload: TaskIn): ...

Apps below accounts (audit) import none of this: their pages use Django's
``user.has_perm`` through :class:`~shuzheng.accounts.backends.RoleBackend`, and their
router gets :func:`operation_requires` where ``shuzheng.api`` mounts it.
"""

from __future__ import annotations

import functools
import inspect

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from ninja.errors import AuthenticationError, HttpError
from ninja.utils import contribute_operation_callback

from shuzheng.accounts.permissions import (
    ANONYMOUS,
    role_has,
    role_has_for_unit,
    role_reads_field_group,
    scopes_allow,
)


def role_of(user) -> str:
    """The permission role of a user; inactive or anonymous users are the public."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    return user.role


def has_perm(user, perm: str, unit=None) -> bool:
    """Whether ``user`` holds ``perm``, for ``unit`` (a Unit or its id) when given.

    Issue 2: unit staff act only for their own unit, unit heads hold the staff rights,
    supervisors see all units, administrators hold everything.
    """
    unit_id = getattr(unit, "pk", unit)
    own_unit_id = getattr(user, "unit_id", None)
    return role_has_for_unit(role_of(user), perm, own_unit_id, unit_id)


def reads_field_group(user, group: str, unit=None) -> bool:
    """Whether ``user`` reads field group ``group`` (``permissions.FIELD_GROUPS``) of an item
    owned by ``unit`` (a Unit or its id; required for a unit-bound group): the check the API
    output and the pages make for every part of an object they show (issue 9, point 3)."""
    unit_id = getattr(unit, "pk", unit)
    own_unit_id = getattr(user, "unit_id", None)
    return role_reads_field_group(role_of(user), group, own_unit_id, unit_id)


def ensure_perm(user, perm: str, unit=None) -> None:
    """Raise PermissionDenied (a 403 page) unless ``user`` holds ``perm`` for ``unit``."""
    if not has_perm(user, perm, unit):
        raise PermissionDenied(f"permission {perm!r} required")


def require_perm(perm: str):
    """View decorator: anonymous visitors go to the login page, signed-in people without
    ``perm`` get the 403 page. Unit-bound checks happen in the view with :func:`ensure_perm`
    once the unit is known."""
    role_has(ANONYMOUS, perm)  # fail at import time on a misspelt permission

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if has_perm(request.user, perm):
                return view(request, *args, **kwargs)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied(f"permission {perm!r} required")

        wrapper.required_perm = perm
        return wrapper

    return decorator


def api_principal(request):
    """The user an API request acts as: the one its authentication found, else the session's."""
    principal = getattr(request, "auth", None)
    if principal is not None and hasattr(principal, "is_authenticated"):
        return principal
    return request.user


def check_api_perm(request, perm: str, unit=None) -> None:
    """Raise 401 when an anonymous caller needs to authenticate, 403 when the caller (or the
    API token it uses) lacks ``perm`` for ``unit``.

    A token never exceeds its user's role: both the role and the token's scopes must allow.
    """
    user = api_principal(request)
    if has_perm(user, perm, unit):
        token = getattr(request, "api_token", None)
        if token is not None and not scopes_allow(token.scopes, perm):
            raise HttpError(403, f"this API token's scopes do not allow {perm!r}")
        return
    if role_of(user) == ANONYMOUS:
        raise AuthenticationError()
    raise HttpError(403, f"permission {perm!r} required")


def api_requires(perm: str):
    """django-ninja equivalent of :func:`require_perm`: 401 without credentials, 403 without
    the permission. Put it below ``@router.<method>(...)``; the check runs after ninja's
    authentication, with the operation's own signature left untouched."""
    role_has(ANONYMOUS, perm)  # fail at import time on a misspelt permission

    def decorator(view_func):
        def wrap_operation(operation) -> None:
            operation.view_func = _checked(operation.view_func, perm)
            operation.required_perm = perm

        contribute_operation_callback(view_func, wrap_operation)
        view_func.required_perm = perm
        return view_func

    return decorator


def operation_requires(perm: str):
    """:func:`api_requires` for a whole router, applied where it is mounted
    (``router.add_decorator(operation_requires("view_audit"))`` in ``shuzheng.api``), so
    that the app of the router — the audit trail, below accounts — needs no import of
    accounts."""
    role_has(ANONYMOUS, perm)  # fail at import time on a misspelt permission
    return functools.partial(_checked, perm=perm)


def _checked(view_func, perm: str):
    if inspect.iscoroutinefunction(view_func):

        @functools.wraps(view_func)
        async def async_wrapper(request, *args, **kwargs):
            check_api_perm(request, perm)
            return await view_func(request, *args, **kwargs)

        return async_wrapper

    @functools.wraps(view_func)
    def wrapper(request, *args, **kwargs):
        check_api_perm(request, perm)
        return view_func(request, *args, **kwargs)

    return wrapper
