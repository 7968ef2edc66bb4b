"""The subscriptions list's filter, used by /subscriptions/ and /api/v1/subscriptions/."""

import django_filters
from django.utils.translation import gettext_lazy as _

from shuzheng.filtersets import BooleanFilter, FilterSet
from shuzheng.subscriptions.choices import SubscriptionKind
from shuzheng.subscriptions.models import Subscription


class SubscriptionFilterSet(FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=SubscriptionKind.choices)
    active = BooleanFilter(label=_("Active"))

    class Meta:
        model = Subscription
        fields = ["kind", "active"]
