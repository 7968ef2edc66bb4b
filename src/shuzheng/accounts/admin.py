"""Users and API tokens in Django's admin; every user change lands in the audit trail."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shuzheng.accounts import services
from shuzheng.accounts.models import ApiToken, User
from shuzheng.admin_classes import AuditedAdmin, ReadOnlyAdmin
from shuzheng.client_address import client_address

# Roles are the one permission vocabulary (accounts.permissions): Django's groups would be a
# second, unaudited way to grant rights, so the admin offers none (issue 9, point 4).
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(User)
class ShuzhengUserAdmin(AuditedAdmin, UserAdmin):
    """Django's user admin with role and unit. Staff and superuser flags are not offered:
    they follow the role (least privilege, issue 2). Saves are recorded as accounts' own
    actions (role changes named as such), deletes as admin deletes, and a password set here
    like any other change of password (``services.password_set_in_admin``; issue 9, point 4)."""

    list_display = ("username", "get_full_name", "role", "unit", "is_active", "last_login")
    list_filter = ("role", "is_active", "unit__region")
    search_fields = ("username", "first_name", "last_name", "email", "unit__name")
    # The unit by name, searched as one types (issue 14: no raw numeric unit id).
    autocomplete_fields = ("unit",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role"), {"fields": ("role", "unit", "is_active")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "password1", "password2", "role", "unit")}),)

    def save_model(self, request, obj, form, change):
        if not change:
            # The administrator chose this password: its owner replaces it (issue 9).
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    def record_saved(self, request, obj, before):
        services.record_user_saved(obj, before, actor=request.user)

    def user_change_password(self, request, id, form_url=""):
        """Django's password form, audited when it set (or disabled) the password."""
        with transaction.atomic():
            user = self.get_object(request, unquote(id))
            stored = user.password if user is not None else None
            response = super().user_change_password(request, id, form_url)
            if user is not None:
                user.refresh_from_db(fields=["password"])
                if user.password != stored:
                    services.password_set_in_admin(
                        user, actor=request.user, remote_addr=client_address(request)
                    )
        return response


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
            services.revoke_token(token, actor=request.user, remote_addr=client_address(request))
            revoked += 1
        self.message_user(request, _("%(count)d tokens revoked.") % {"count": revoked})
