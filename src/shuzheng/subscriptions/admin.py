"""Subscriptions in Django's admin: administrators look; people manage their own on
/subscriptions/ (every change goes through the services and the audit trail)."""

from django.contrib import admin

from shuzheng.admin_classes import ReadOnlyAdmin
from shuzheng.subscriptions.models import EnterpriseProfile, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "owner", "kind", "active", "created_at")
    list_filter = ("kind", "active")
    search_fields = ("owner__username", "name", "topic", "unit__name", "document_title")


@admin.register(EnterpriseProfile)
class EnterpriseProfileAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "owner", "industry", "region", "size", "active")
    list_filter = ("size", "active")
    search_fields = ("owner__username", "industry")
