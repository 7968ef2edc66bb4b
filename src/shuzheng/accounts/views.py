"""HTML pages of accounts: my account and my API tokens, password change, the 403 page."""

import datetime

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuzheng.accounts import services
from shuzheng.accounts.authorization import require_perm
from shuzheng.accounts.forms import ReauthenticatingPasswordChangeForm, TokenForm
from shuzheng.accounts.models import ApiToken
from shuzheng.accounts.permissions import permission, permissions_of
from shuzheng.client_address import client_address


def _account_page(request, form, new_token: str | None = None, status: int = 200):
    user = request.user
    context = {
        "form": form,
        "new_token": new_token,
        "tokens": services.tokens_of(user),
        "permissions": [permission(name) for name in permissions_of(user.role)],
    }
    return render(request, "accounts/me.html", context, status=status)


@require_perm("view_own_account")
def me(request):
    return _account_page(request, TokenForm())


@require_POST
@require_perm("manage_own_account")
def token_create(request):
    """Create a token and show its string on this response only; it is never shown again."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _account_page(request, form, status=400)
    days = form.cleaned_data["expires_days"]
    expires_at = timezone.now() + datetime.timedelta(days=days) if days else None
    try:
        _token, secret = services.create_token(
            request.user,
            form.cleaned_data["name"],
            form.cleaned_data["scopes"],
            expires_at,
            actor=request.user,
            remote_addr=client_address(request),
        )
    except services.AccountError as error:
        form.add_error(None, str(error))
        return _account_page(request, form, status=400)
    return _account_page(request, TokenForm(), new_token=secret)


@require_POST
@require_perm("manage_own_account")
def token_revoke(request, prefix: str):
    token = get_object_or_404(ApiToken, user=request.user, prefix=prefix)
    try:
        services.revoke_token(token, actor=request.user, remote_addr=client_address(request))
    except services.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:me")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, writing through the audited service (issue 2); the old
    password is checked on the login's rate-limited path (issue 9)."""

    form_class = ReauthenticatingPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_changed")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        services.change_password(
            self.request.user,
            form.cleaned_data["new_password1"],
            actor=self.request.user,
            remote_addr=client_address(self.request),
        )
        update_session_auth_hash(self.request, self.request.user)
        return redirect(self.get_success_url())


def permission_denied(request, exception=None):
    """The 403 page (``handler403``): says what is missing and offers a way on."""
    return render(request, "accounts/forbidden.html", status=403)
