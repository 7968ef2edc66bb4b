"""The search app's vocabulary: enums of facet values that search labels and that the apps
indexing into it (documents) store, defined here once so search imports no domain app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Validity(models.TextChoices):
    """现行有效 / 失效 / 修订 (glossary): the validity facet of the policy library."""

    CURRENT = "current", _("In force")
    EXPIRED = "expired", _("Expired")
    AMENDED = "amended", _("Amended")
