"""The seals' filter (/trust/seals/)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from shuzheng.filtersets import FilterSet
from shuzheng.trust.choices import SealKind, SealStatus
from shuzheng.trust.models import Seal


class SealFilterSet(FilterSet):
    name = django_filters.CharFilter(label=_("Name"), lookup_expr="icontains")
    unit__name = django_filters.CharFilter(label=_("Unit"), lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=SealKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SealStatus.choices)

    class Meta:
        model = Seal
        fields = ["name", "unit__name", "kind", "status"]
