"""The admin site of shuzheng: Django's, signing in on the platform's one login path.

``shuzheng.accounts.apps.AdminConfig`` takes django.contrib.admin's place in
``INSTALLED_APPS`` (Django's documented way to replace the default site), so ``/admin/login/`` has the same per-account and
per-address limits and the same audit as ``/accounts/login/`` (issue 9, point 1), and the
admin's own password change is the platform's.
"""

from django.contrib import admin
from django.shortcuts import redirect

from shuzheng.accounts.forms import AdminSignInForm


class SignInAdminSite(admin.AdminSite):
    login_form = AdminSignInForm

    def password_change(self, request, extra_context=None):
        """One password change for everyone: the account page's (rules, audit, limits)."""
        return redirect("accounts:password_change")
