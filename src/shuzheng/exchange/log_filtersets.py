"""The message log's filters: the exchange office's log page and a consumer's 调用记录 (issue 16,
point 7)."""

import datetime

import django_filters
from django.utils.translation import gettext_lazy as _

from shuzheng.audit.forms import DateRangeForm
from shuzheng.exchange.log_models import MessageLogEntry
from shuzheng.filtersets import FilterSet, start_of_day
from shuzheng.orgs.models import Unit

STATUS_CHOICES = (
    ("answered", _("Answered (below 400)")),
    ("refused", _("Refused (400 to 499)")),
    ("failed", _("Failed (500 and above)")),
)


class MessageLogFilterSet(FilterSet):
    """Entries by consumer unit, resource code, answer class and a range of local days (both
    ends included)."""

    consumer = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), label=_("Consumer unit"), method="filter_consumer"
    )
    resource = django_filters.CharFilter(
        field_name="resource_code", label=_("Resource code"), max_length=100
    )
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, label=_("Answer"), method="filter_status"
    )
    since = django_filters.DateFilter(label=_("From"), method="filter_since")
    until = django_filters.DateFilter(label=_("To"), method="filter_until")

    class Meta:
        model = MessageLogEntry
        fields = ["consumer", "resource", "status", "since", "until"]
        form = DateRangeForm

    def filter_consumer(self, queryset, name, value):
        return queryset.filter(consumer_id=value.pk)

    def filter_status(self, queryset, name, value):
        if value == "answered":
            return queryset.filter(status__lt=400)
        if value == "refused":
            return queryset.filter(status__gte=400, status__lt=500)
        return queryset.filter(status__gte=500)

    def filter_since(self, queryset, name, value):
        return queryset.filter(at__gte=start_of_day(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(at__lt=start_of_day(value + datetime.timedelta(days=1)))


class UsageFilterSet(FilterSet):
    """A consumer's 调用记录 by resource code and a range of local days (both ends included),
    before the calls are summed per grant (``log_selectors.usage_by_grant``)."""

    resource = django_filters.CharFilter(
        field_name="resource_code", label=_("Resource code"), max_length=100
    )
    since = django_filters.DateFilter(label=_("From"), method="filter_since")
    until = django_filters.DateFilter(label=_("To"), method="filter_until")

    class Meta:
        model = MessageLogEntry
        fields = ["resource", "since", "until"]
        form = DateRangeForm

    filter_since = MessageLogFilterSet.filter_since
    filter_until = MessageLogFilterSet.filter_until
