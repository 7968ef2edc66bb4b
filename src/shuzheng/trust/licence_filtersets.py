"""The issued licences' filter (/trust/licences/)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from shuzheng import clock
from shuzheng.filtersets import FilterSet
from shuzheng.trust import licences
from shuzheng.trust.licence_models import STATUS_LABELS, Licence, LicenceType


class LicenceFilterSet(FilterSet):
    number = django_filters.CharFilter(label=_("Licence number"), lookup_expr="icontains")
    holder_name = django_filters.CharFilter(label=_("Holder"), lookup_expr="icontains")
    licence_type = django_filters.ModelChoiceFilter(
        label=_("Licence type"), queryset=LicenceType.objects.all()
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=list(STATUS_LABELS.items()), method="filter_status"
    )

    class Meta:
        model = Licence
        fields = ["number", "holder_name", "licence_type", "status"]

    def filter_status(self, queryset, name, value):
        """``expired`` is read off the clock: a valid licence whose last day has passed."""
        today = clock.today()
        if value == licences.EXPIRED:
            return queryset.filter(status=licences.VALID, valid_until__lt=today)
        if value == licences.VALID:
            return queryset.filter(status=value).exclude(valid_until__lt=today)
        return queryset.filter(status=value)
