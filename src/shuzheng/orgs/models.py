"""Administrative regions and government units: who a document or task speaks of."""

import json

from django.db import models
from django.utils.translation import gettext_lazy as _

from shuzheng.orgs.choices import RegionLevel, UnitKind


class UnicodeJSONEncoder(json.JSONEncoder):
    """Stores Chinese names as characters, not \\u escapes, so that SQLite's text search
    over the aliases (``aliases__icontains``) finds them as PostgreSQL's does."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class Region(models.Model):
    """An administrative division (行政区划), identified by its GB/T 2260 code."""

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=64)
    short_name = models.CharField(_("short name"), max_length=32, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A government unit (单位): a people's government, a department, an agency.

    ``aliases`` holds the other ways documents write the unit (e.g. 自治区政府办公厅 for
    宁夏回族自治区人民政府办公厅); the resolver in orgs.resolution reads them.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("full name"), max_length=128, unique=True)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    kind = models.CharField(_("kind"), max_length=24, choices=UnitKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), related_name="units", on_delete=models.PROTECT
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["region__code", "code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name


class UnitGroup(models.Model):
    """A group of units as documents name it (各市、县（区）, 自治区有关部门（单位）).

    ``member_levels`` lists the region levels whose people's governments, within ``scope``,
    form the group (各市、县（区）: city and county).  An empty list means the group has no
    fixed membership: the resolver reports it by name and never invents members.
    """

    key = models.SlugField(_("key"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=128)
    aliases = models.JSONField(_("aliases"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    scope = models.ForeignKey(
        Region, verbose_name=_("scope"), related_name="unit_groups", on_delete=models.PROTECT
    )
    member_levels = models.JSONField(_("member region levels"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("unit group")
        verbose_name_plural = _("unit groups")

    def __str__(self) -> str:
        return self.name

    @property
    def has_fixed_membership(self) -> bool:
        return bool(self.member_levels)
