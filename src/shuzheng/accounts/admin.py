"""Users and API tokens in Django's admin; every user change lands in the audit trail."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shuzheng.accounts import services
from shuzheng.accounts.models import ApiToken, User
from shuzheng.admin_classes import ReadOnlyAdmin
from shuzheng.audit.services import snapshot


@admin.register(User)
class ShuzhengUserAdmin(UserAdmin):
    """Django's user admin with role and unit. Staff and superuser flags are not offered:
    they follow the role (least privilege, issue 2)."""

    list_display = ("username", "get_full_name", "role", "unit", "is_active", "last_login")
    list_filter = ("role", "is_active", "unit__region")
    search_fields = ("username", "first_name", "last_name", "email", "unit__name")
    raw_id_fields = ("unit",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role"), {"fields": ("role", "unit", "is_active")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "password1", "password2", "role", "unit")}),)

    def save_model(self, request, obj, form, change):
        before = snapshot(User.objects.get(pk=obj.pk)) if change else None
        if not change:
            # The administrator chose this password: its owner replaces it (issue 9).
            obj.must_change_password = True
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            services.record_user_saved(obj, before, actor=request.user)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are created by their owners (page, API, CLI); the admin only looks and revokes."""

    list_display = ("prefix", "name", "user", "scopes", "created_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at", "expires_at")
    search_fields = ("prefix", "name", "user__username")
    fields = readonly_fields = (
        "user",
        "name",
        "prefix",
        "scopes",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    actions = ["revoke_selected"]

    def has_delete_permission(self, request, obj=None):
        """Revoke instead: a revoked token keeps its history, a deleted one vanishes."""
        return False

    def has_revoke_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke_selected(self, request, queryset):
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            services.revoke_token(
                token, actor=request.user, remote_addr=request.META.get("REMOTE_ADDR")
            )
            revoked += 1
        self.message_user(request, _("%(count)d tokens revoked.") % {"count": revoked})
