"""Use cases of accounts: API tokens, roles, passwords, failed logins — each one audited."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuzheng.accounts.choices import Role
from shuzheng.accounts.models import ApiToken, User
from shuzheng.accounts.password_validation import character_classes, derives_from
from shuzheng.accounts.permissions import (
    UNIT_BOUND_ROLES,
    UnknownPermission,
    may_manage_account,
    normalise_scopes,
    roles_assignable_by,
    scopes_within_role,
)
from shuzheng.audit.services import record_change, snapshot
from shuzheng.crypto import digests_match, sm3_hex

TOKEN_PREFIX = "sz"
#: Audit actions of signing in and out (``shuzheng.accounts.authentication`` reads them back).
LOGIN = "accounts.login"
LOGIN_FAILED = "accounts.login_failed"
LOGIN_DELAYED = "accounts.login_delayed"
LOGOUT = "accounts.logout"
GENERATED_PASSWORD_LENGTH = 16
#: Letters and digits without the look-alikes (0/O, 1/l/I), and symbols that survive a shell.
GENERATED_PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.%+"
#: ``last_used_at`` is refreshed at most this often, so that reads do not each write a row.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class AccountError(ValueError):
    """Bad input to an account service; the message says what to fix and nothing changed."""


def create_token(
    user: User,
    name: str,
    scopes=None,
    expires_at: datetime.datetime | None = None,
    *,
    actor=None,
    remote_addr: str | None = None,
) -> tuple[ApiToken, str]:
    """Issue an API token for ``user``; returns the row and the token string, shown once.

    Issue 2: tokens are stored as the SM3 digest of their secret, ``write`` implies ``read``,
    and a token never carries a scope its user's role cannot use.
    """
    name = (name or "").strip()
    if not name:
        raise AccountError("a token needs a name (what program uses it?)")
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise AccountError("a token name is at most 100 characters")
    try:
        scopes = normalise_scopes(scopes)
    except UnknownPermission as error:
        raise AccountError(str(error)) from None
    if not user.is_active:
        raise AccountError(f"user {user.get_username()} is inactive")
    if not scopes_within_role(user.role, scopes):
        raise AccountError(f"the role {user.role} cannot use a token with scopes {scopes}")
    if expires_at is not None and expires_at <= timezone.now():
        raise AccountError("the expiry must lie in the future")
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=prefix,
            digest=sm3_hex(secret.encode()),
            scopes=scopes,
            expires_at=expires_at,
        )
        record_change(
            actor=actor,
            action="accounts.create_token",
            obj=token,
            after=snapshot(token),
            remote_addr=remote_addr,
        )
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


def revoke_token(token: ApiToken, *, actor=None, remote_addr: str | None = None) -> ApiToken:
    """Revoke ``token`` for good (issue 2); revoking twice is refused, not silently ignored."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise AccountError(f"token {token.prefix} was revoked already")
        before = snapshot(token)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_change(
            actor=actor,
            action="accounts.revoke_token",
            obj=token,
            before=before,
            after=snapshot(token),
            remote_addr=remote_addr,
        )
    return token


def find_token(prefix: str) -> ApiToken:
    """The token with ``prefix`` (as printed by ``shuzheng token list``)."""
    prefix = prefix.removeprefix(f"{TOKEN_PREFIX}_").split("_", 1)[0]
    try:
        return ApiToken.objects.select_related("user").get(prefix=prefix)
    except ApiToken.DoesNotExist:
        raise AccountError(f"no API token with prefix {prefix!r}") from None


def authenticate_token(raw: str) -> ApiToken | None:
    """The usable token that ``raw`` (``sz_<prefix>_<secret>``) proves, else None.

    The digest comparison is constant-time; unknown, revoked and expired tokens and tokens of
    inactive users all give None alike.
    """
    parts = (raw or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not digests_match(token.digest, sm3_hex(parts[2].encode())):
        return None
    now = timezone.now()
    if not token.is_usable(now):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_of(user: User):
    return ApiToken.objects.filter(user=user)


def change_role(user: User, role: str, unit=None, *, actor=None) -> User:
    """Give ``user`` a new role (and unit). Issue 2: unit staff and unit heads need a unit;
    other roles act for no unit, so theirs is cleared. Admin access follows the role."""
    if role not in Role.values:
        raise AccountError(f"unknown role {role!r}; choose from {', '.join(Role.values)}")
    if role in UNIT_BOUND_ROLES and unit is None:
        raise AccountError(f"the role {role} needs a unit")
    with transaction.atomic():
        before = snapshot(user)
        user.role = role
        user.unit = unit if role in UNIT_BOUND_ROLES else None
        user.save()
        record_change(
            actor=actor,
            action="accounts.change_role",
            obj=user,
            before=before,
            after=snapshot(user),
        )
    return user


def record_user_saved(user: User, before: dict | None, *, actor=None) -> None:
    """Audit a user saved through Django's admin (issue 2: user changes are audited)."""
    action = "accounts.create_user" if before is None else "accounts.change_user"
    if before is not None and before.get("role") != user.role:
        action = "accounts.change_role"
    record_change(actor=actor, action=action, obj=user, before=before, after=snapshot(user))


def change_password(user: User, new_password: str, *, actor=None, remote_addr=None) -> User:
    """Set a new password and audit it, without the hash.

    Issue 9: the password must pass ``AUTH_PASSWORD_VALIDATORS`` (else :class:`AccountError`
    with their messages, and nothing changes). A password set by anyone but its owner — an
    administrator, a command (``actor`` None) — must be changed at the owner's next login;
    the owner's own change ends that.
    """
    try:
        validate_password(new_password, user)
    except ValidationError as error:
        raise AccountError(" ".join(error.messages)) from None
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = not _is_same_user(actor, user)
        user.save(update_fields=["password", "must_change_password"])
        record_change(
            actor=actor,
            action="accounts.change_password",
            obj=user,
            remote_addr=remote_addr,
        )
    return user


def generate_password(username: str) -> str:
    """A random password that passes the password rules for the account ``username``, which
    someone else creates: its owner must replace it at the first login (issue 9). Random
    letters spell a short username now and then ("admin" as ``4dm1n``), so that is checked."""
    length = max(GENERATED_PASSWORD_LENGTH, settings.PASSWORD_MIN_LENGTH)
    while True:
        candidate = "".join(secrets.choice(GENERATED_PASSWORD_ALPHABET) for _ in range(length))
        if character_classes(candidate) == 4 and not derives_from(candidate, username):
            return candidate


def _is_same_user(actor, user: User) -> bool:
    return actor is not None and getattr(actor, "pk", None) == user.pk


def record_login(user: User, remote_addr: str | None) -> None:
    """Audit a successful login (issue 9)."""
    record_change(actor=user, action=LOGIN, obj=user, remote_addr=remote_addr)


def password_set_in_admin(user: User, *, actor, remote_addr=None) -> None:
    """Django's admin password form has set (or disabled) ``user``'s password: apply
    :func:`change_password`'s rule (someone else's password is replaced at the owner's next
    login) and audit it the same way, without the hash (issue 9, point 4)."""
    user.must_change_password = user.has_usable_password() and not _is_same_user(actor, user)
    user.save(update_fields=["must_change_password"])
    record_change(
        actor=actor,
        action="accounts.change_password",
        obj=user,
        after={"usable_password": user.has_usable_password()},
        remote_addr=remote_addr,
    )


def record_login_failure(username: str, remote_addr: str | None = None) -> None:
    """Audit a failed login (issue 2); the attempted username is kept, never the password."""
    record_change(
        actor=None,
        action=LOGIN_FAILED,
        **_attempted_account(username),
        remote_addr=remote_addr,
    )


def record_login_delayed(
    username: str, remote_addr: str | None, retry_at: datetime.datetime
) -> None:
    """Audit a login refused unchecked because its account or address must wait (issue 9)."""
    record_change(
        actor=None,
        action=LOGIN_DELAYED,
        **_attempted_account(username),
        after={"retry_at": retry_at.isoformat()},
        remote_addr=remote_addr,
    )


def record_logout(user: User, remote_addr: str | None, reason: str) -> None:
    """Audit the end of a session: ``signed_out``, ``idle_timeout`` or ``session_lifetime``."""
    record_change(
        actor=user, action=LOGOUT, obj=user, after={"reason": reason}, remote_addr=remote_addr
    )


def _attempted_account(username: str) -> dict:
    user = User.objects.filter(username=username).first()
    return {
        "object_type": User._meta.label_lower,
        "object_id": user.pk if user else None,
        "object_repr": (username or "")[:150],
    }


# --- people managed in the product (issue 14, point 5) -----------------------------------

CREATE_USER = "accounts.create_user"
RESET_PASSWORD = "accounts.reset_password"
DEACTIVATE_USER = "accounts.deactivate_user"
REACTIVATE_USER = "accounts.reactivate_user"


def _check_may_give(actor: User, role: str, unit) -> None:
    if role not in Role.values:
        raise AccountError(_("Unknown role."))
    if role not in roles_assignable_by(actor.role):
        raise AccountError(_("You may not give the role “%(role)s”.") % {"role": Role(role).label})
    if role in UNIT_BOUND_ROLES and unit is None:
        raise AccountError(_("Unit staff and unit heads need a unit."))
    unit_id = unit.pk if unit is not None and role in UNIT_BOUND_ROLES else None
    if not may_manage_account(actor.role, actor.unit_id, role, unit_id):
        raise AccountError(_("You manage the people of your own unit only."))


def _check_may_manage(actor: User, user: User) -> None:
    if actor.pk == user.pk:
        raise AccountError(_("Your own account is changed on your account page, not here."))
    if not may_manage_account(actor.role, actor.unit_id, user.role, user.unit_id):
        raise AccountError(_("You may not manage this account."))


def create_account(
    actor: User,
    *,
    username: str,
    full_name: str = "",
    email: str = "",
    role: str,
    unit=None,
    remote_addr: str | None = None,
) -> tuple[User, str]:
    """Create an account for someone else, with a generated password shown once: its owner
    replaces it at the first sign-in (issue 9). Issue 14, point 5: a unit head creates staff
    and heads of their own unit only; administrators any account."""
    username = (username or "").strip()
    if not username:
        raise AccountError(_("Give a username."))
    try:
        User.username_validator(username)
    except ValidationError as error:
        raise AccountError(" ".join(error.messages)) from None
    if len(username) > User._meta.get_field("username").max_length:
        raise AccountError(_("A username is at most 150 characters."))
    _check_may_give(actor, role, unit)
    password = generate_password(username)
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise AccountError(_("The username “%(name)s” is taken.") % {"name": username})
        user = User(
            username=username,
            first_name=(full_name or "").strip()[:150],
            email=(email or "").strip(),
            role=role,
            unit=unit if role in UNIT_BOUND_ROLES else None,
            must_change_password=True,
        )
        user.set_password(password)
        user.save()
        record_change(
            actor=actor, action=CREATE_USER, obj=user, after=snapshot(user), remote_addr=remote_addr
        )
    return user, password


def give_role(actor: User, user: User, role: str, unit=None, *, remote_addr=None) -> User:
    """Change a managed account's role (and unit) within the actor's rights (issue 14)."""
    _check_may_manage(actor, user)
    _check_may_give(actor, role, unit if unit is not None else user.unit)
    with transaction.atomic():
        before = snapshot(user)
        user.role = role
        user.unit = (unit if unit is not None else user.unit) if role in UNIT_BOUND_ROLES else None
        user.save()
        record_change(
            actor=actor,
            action="accounts.change_role",
            obj=user,
            before=before,
            after=snapshot(user),
            remote_addr=remote_addr,
        )
    return user


def set_account_active(actor: User, user: User, active: bool, *, remote_addr=None) -> User:
    """Deactivate (sign-in refused, sessions and API tokens stop working) or reactivate a
    managed account; the account and its history stay (issue 14, point 5)."""
    _check_may_manage(actor, user)
    if user.is_active == active:
        raise AccountError(
            _("The account is active already.") if active else _("The account is inactive already.")
        )
    with transaction.atomic():
        before = snapshot(user)
        user.is_active = active
        user.save(update_fields=["is_active"])
        record_change(
            actor=actor,
            action=REACTIVATE_USER if active else DEACTIVATE_USER,
            obj=user,
            before=before,
            after=snapshot(user),
            remote_addr=remote_addr,
        )
    return user


def reset_password(actor: User, user: User, *, remote_addr=None) -> str:
    """A new generated password for a managed account, returned to be shown once; its owner
    must change it at the next sign-in. The audit event records the reset, not the password."""
    _check_may_manage(actor, user)
    password = generate_password(user.get_username())
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        record_change(actor=actor, action=RESET_PASSWORD, obj=user, remote_addr=remote_addr)
    return password
