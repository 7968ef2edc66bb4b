"""People who sign in, with one role each and, for government staff, their unit."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuzheng.accounts.choices import Role


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

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
