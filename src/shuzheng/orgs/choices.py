"""Enumerations shared by the orgs models, forms and API.

The pure resolver keeps the same values as plain strings (orgs.resolution.REGION_LEVELS,
UNIT_KINDS); tests/orgs/test_models.py checks that they agree.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province / autonomous region")
    CITY = "city", _("City (prefecture level)")
    COUNTY = "county", _("County / district")
    TOWNSHIP = "township", _("Township / street")
    VILLAGE = "village", _("Village / community")


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("People's government")
    GOVERNMENT_OFFICE = "government_office", _("Government general office")
    DEPARTMENT = "department", _("Government department")
    PARTY = "party", _("Party committee body")
    CONGRESS = "congress", _("People's congress body")
    JUDICIAL = "judicial", _("Court / procuratorate")
    VERTICAL = "vertical", _("Centrally administered agency")
    MASS_ORGANISATION = "mass_organisation", _("People's organisation")
    COORDINATION = "coordination", _("Coordination body (headquarters office, leading group)")
    INSTITUTION = "institution", _("Public institution / other")
