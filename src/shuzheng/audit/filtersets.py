"""The audit trail's one filter, used by the /audit/ page and /api/v1/audit/events."""

import datetime

import django_filters
from django.utils.translation import gettext_lazy as _

from shuzheng.audit.forms import DateRangeForm
from shuzheng.audit.models import AuditEvent
from shuzheng.filtersets import FilterSet, start_of_day


class EventFilterSet(FilterSet):
    """Events by actor (username), action, object type and a range of local days (both ends
    included, so "until 2026-11-27" includes the evening of the 27th)."""

    actor = django_filters.CharFilter(
        field_name="actor_name", label=_("Actor (username)"), max_length=150
    )
    action = django_filters.CharFilter(label=_("Action"), max_length=64)
    object_type = django_filters.CharFilter(label=_("Object type"), max_length=100)
    since = django_filters.DateFilter(label=_("From"), method="filter_since")
    until = django_filters.DateFilter(label=_("To"), method="filter_until")

    class Meta:
        model = AuditEvent
        fields = ["actor", "action", "object_type", "since", "until"]
        form = DateRangeForm

    def filter_since(self, queryset, name, value):
        return queryset.filter(at__gte=start_of_day(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(at__lt=start_of_day(value + datetime.timedelta(days=1)))
