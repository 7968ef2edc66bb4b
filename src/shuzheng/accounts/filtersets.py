"""The API tokens list's filter, used by /api/v1/accounts/tokens."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuzheng.accounts.models import ApiToken
from shuzheng.filtersets import FilterSet

#: A token's state as ``ApiToken.state`` names it.
STATE_CHOICES = [("active", _("active")), ("expired", _("expired")), ("revoked", _("revoked"))]


class TokenFilterSet(FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=STATE_CHOICES, method="filter_state"
    )

    class Meta:
        model = ApiToken
        fields = ["state"]

    def filter_state(self, queryset, name, value):
        """The SQL form of ``ApiToken.state``: revoked first, then expired, else active."""
        expired = Q(expires_at__isnull=False, expires_at__lte=timezone.now())
        if value == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        if value == "expired":
            return queryset.filter(expired, revoked_at__isnull=True)
        return queryset.filter(revoked_at__isnull=True).exclude(expired)
