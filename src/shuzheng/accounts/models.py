"""People who sign in, with one role each and, for government staff, their unit; and the
API tokens programs use to act for them."""

import contextvars

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.auth.password_validation import validate_password
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuzheng.accounts.choices import Role

#: Set while shuzheng's ``createsuperuser`` runs (issue 9): there the password rules hold even
#: where Django's command skips them (``--noinput``) or offers to ("Bypass password validation").
#: Programmatic creation (fixtures, scripts) is not checked, as with ``create_user``.
PASSWORD_RULES_WITHOUT_BYPASS = contextvars.ContextVar(
    "password_rules_without_bypass", default=False
)


class RoleAwareUserManager(UserManager):
    """``createsuperuser`` makes an administrator: Django's admin flags follow the role."""

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMINISTRATOR)
        if password is not None and PASSWORD_RULES_WITHOUT_BYPASS.get():
            validate_password(password, self.model(username=username, email=email, **extra_fields))
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.CITIZEN)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        related_name="staff",
        on_delete=models.PROTECT,
        help_text=_("The unit unit staff and unit heads act for."),
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_(
            "Set when someone else set or generated the password: every page leads to the "
            "password change until its owner has chosen a new one."
        ),
    )

    objects = RoleAwareUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def save(self, *args, **kwargs):
        """Least privilege (issue 2): only administrators reach /admin/, whatever flags a
        form or script tried to set, so ``is_staff`` and ``is_superuser`` follow the role."""
        self.is_staff = self.is_superuser = self.role == Role.ADMINISTRATOR
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "role" in update_fields:
            kwargs["update_fields"] = {*update_fields, "is_staff", "is_superuser"}
        super().save(*args, **kwargs)


class ApiToken(models.Model):
    """A bearer token a program uses to call the API as ``user``.

    The token string ``sz_<prefix>_<secret>`` is shown once; only ``prefix`` (to find the row)
    and the SM3 ``digest`` of the secret are stored, so a copy of the database opens nothing.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="api_tokens",
        on_delete=models.CASCADE,
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    digest = models.CharField(_("SM3 digest"), max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} (sz_{self.prefix}_…)"

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def is_usable(self, now=None) -> bool:
        return self.revoked_at is None and not self.is_expired(now) and self.user.is_active

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.is_expired() else "active"
