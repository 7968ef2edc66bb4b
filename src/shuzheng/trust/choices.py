"""Enumerations shared by the trust app's models, forms, API and pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SealKind(models.TextChoices):
    """国务院关于国家行政机关和企业事业单位社会团体印章管理的规定: a unit's official seal
    (公章) and its seals for one business (业务专用章); the platform's own seal signs what the
    platform itself issues (the audit chain's head, revocation lists)."""

    OFFICIAL = "official", _("Official seal")
    BUSINESS = "business", _("Business seal")
    PLATFORM = "platform", _("Platform seal")


#: The kinds an administrator creates for a unit (the platform seal is made with the root).
UNIT_SEAL_KINDS = (SealKind.OFFICIAL, SealKind.BUSINESS)


class SealStatus(models.TextChoices):
    ACTIVE = "active", _("In use")
    REVOKED = "revoked", _("Revoked")
