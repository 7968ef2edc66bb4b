"""The registry's only editing screens; every save and delete is audited (orgs.services)."""

from django.contrib import admin

from shuzheng.orgs import services
from shuzheng.orgs.models import Region, Unit, UnitGroup


class RegistryAdmin(admin.ModelAdmin):
    """Writes through orgs.services so that admin edits reach the audit trail."""

    def save_model(self, request, obj, form, change):
        services.save_record(obj, actor=request.user)

    def delete_model(self, request, obj):
        services.delete_record(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.delete_record(obj, actor=request.user)


@admin.register(Region)
class RegionAdmin(RegistryAdmin):
    list_display = ("code", "name", "short_name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name", "short_name")
    autocomplete_fields = ("parent",)
    readonly_fields = ("updated_at",)


@admin.register(Unit)
class UnitAdmin(RegistryAdmin):
    list_display = ("code", "name", "short_name", "kind", "region", "parent")
    list_filter = ("kind", "region__level", "region")
    search_fields = ("code", "name", "short_name", "aliases")
    autocomplete_fields = ("region", "parent")
    list_select_related = ("region", "parent")
    readonly_fields = ("updated_at",)


@admin.register(UnitGroup)
class UnitGroupAdmin(RegistryAdmin):
    list_display = ("key", "name", "scope", "member_levels")
    search_fields = ("key", "name", "aliases")
    autocomplete_fields = ("scope",)
    readonly_fields = ("updated_at",)
