"""The hotline's list filters: the units' 我的工单 and the supervisors' overdue list."""

import datetime
from zoneinfo import ZoneInfo

import django_filters
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuzheng import clock
from shuzheng.audit.forms import DateRangeForm
from shuzheng.filtersets import FilterSet, start_of_day
from shuzheng.hotline import deadlines
from shuzheng.hotline.choices import CLOSED_STATES, RequestState
from shuzheng.hotline.models import ServiceCategory, ServiceRequest
from shuzheng.tasks.status import Light

#: Levels below a city a request's region may lie at (county, township, village).
PLACE_DEPTH = 3

LIGHT_CHOICES = [
    (Light.RED, _("Red")),
    (Light.YELLOW, _("Yellow")),
    (Light.GREEN, _("Green")),
    (Light.GREY, _("Grey")),
]


class RequestFilterSet(FilterSet):
    """Requests by state, light (``hotline.deadlines.light``: red past the resolution limit,
    yellow when it ends by the close of the next working day, grey once closed), category,
    place (a city or county) and a range of local days of receipt (both ends included)."""

    state = django_filters.ChoiceFilter(label=_("State"), choices=RequestState.choices)
    light = django_filters.ChoiceFilter(
        label=_("Light"), choices=LIGHT_CHOICES, method="filter_light"
    )
    category = django_filters.ModelChoiceFilter(
        label=pgettext_lazy("hotline", "Category"),
        queryset=ServiceCategory.objects.filter(is_general=False),
        to_field_name="code",
    )
    place = django_filters.CharFilter(
        label=_("Place (name or division code)"), max_length=64, method="filter_place"
    )
    since = django_filters.DateFilter(label=_("Received from"), method="filter_since")
    until = django_filters.DateFilter(label=_("Received until"), method="filter_until")

    class Meta:
        model = ServiceRequest
        fields = ["state", "light", "category", "place", "since", "until"]
        form = DateRangeForm

    def filter_light(self, queryset, name, value):
        if value == Light.GREY:
            return queryset.filter(state__in=CLOSED_STATES)
        now = clock.now()
        still_open = queryset.exclude(state__in=CLOSED_STATES)
        if value == Light.RED:
            return still_open.filter(resolution_due_at__lt=now)
        yellow_until = deadlines.yellow_until(now, ZoneInfo(settings.TIME_ZONE))
        if value == Light.YELLOW:
            return still_open.filter(
                resolution_due_at__gte=now, resolution_due_at__lte=yellow_until
            )
        return still_open.filter(resolution_due_at__gt=yellow_until)

    def filter_place(self, queryset, name, value):
        """Requests placed in the region named or coded (兴庆区, 640104) or anywhere below it:
        the hot spots' links count a request at its city or county
        (``selectors.hot_spot_counts``). Matched in the query itself, so the list's form
        costs no query for a list of places."""
        value = value.strip()
        within = Q()
        for depth in range(PLACE_DEPTH + 1):
            region = "region" + "__parent" * depth
            within |= Q(**{f"{region}__code": value}) | Q(**{f"{region}__name": value})
        return queryset.filter(within)

    def filter_since(self, queryset, name, value):
        return queryset.filter(requested_at__gte=start_of_day(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(requested_at__lt=start_of_day(value + datetime.timedelta(days=1)))
