"""The inbox's, the deliveries' and the webhooks' filters, used by the pages and
/api/v1/notifications/."""

import django_filters
from django.utils.translation import gettext_lazy as _

from shuzheng.filtersets import BooleanFilter, FilterSet
from shuzheng.notifications.choices import DeliveryStatus
from shuzheng.notifications.models import Delivery, Notification, WebhookEndpoint


class InboxFilterSet(FilterSet):
    """``unread=1`` (or ``true``) shows unread notifications only; anything else, all."""

    unread = BooleanFilter(label=_("Unread only"), method="filter_unread")

    class Meta:
        model = Notification
        fields = ["unread"]

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=True) if value else queryset


class DeliveryFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=DeliveryStatus.choices, empty_label=_("All statuses")
    )

    class Meta:
        model = Delivery
        fields = ["status"]


class WebhookFilterSet(FilterSet):
    active = BooleanFilter(label=_("Active"))

    class Meta:
        model = WebhookEndpoint
        fields = ["active"]
