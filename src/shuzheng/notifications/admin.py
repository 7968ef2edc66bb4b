"""Notifications in Django's admin: administrators see every delivery and its error.

Deliveries are written by the worker only; the admin looks. Endpoints can be disabled (the
secret never shows: it is sealed with SM4 and excluded).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from shuzheng.admin_classes import ReadOnlyAdmin
from shuzheng.client_address import client_address
from shuzheng.notifications import services
from shuzheng.notifications.models import (
    ChannelPreference,
    Delivery,
    Notification,
    WebhookEndpoint,
)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("title", "recipient", "kind", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("title", "recipient__username", "dedupe_key")
    date_hierarchy = "created_at"


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "notification",
        "channel",
        "target",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "sent_at",
    )
    list_filter = ("status", "channel")
    search_fields = ("target", "notification__title", "notification__recipient__username")
    exclude = ("claim_token",)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin):
    list_display = ("url", "owner", "description", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("url", "owner__username")
    exclude = ("sealed_secret",)
    actions = ["disable"]

    @admin.action(description=_("Disable the selected webhook endpoints"))
    def disable(self, request, queryset):
        for endpoint in queryset.filter(active=True):
            services.set_webhook_active(
                endpoint, False, actor=request.user, remote_addr=client_address(request)
            )


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(ReadOnlyAdmin):
    list_display = ("user", "email_enabled", "updated_at")
    list_filter = ("email_enabled",)
