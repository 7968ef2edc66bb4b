"""Administrative regions and government units: who a document or task speaks of."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shuzheng.orgs.choices import RegionLevel, UnitKind


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
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
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

    class Meta:
        ordering = ["region__code", "code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name
