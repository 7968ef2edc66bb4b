"""Forms of the account pages."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from shuzheng.accounts import authentication
from shuzheng.accounts.permissions import READ, SCOPES, WRITE

SCOPE_LABELS = {READ: _("Read"), WRITE: _("Write (implies read)")}
DELAYED_MESSAGE = _("Too many failed logins. Try again after %(time)s.")


def delayed_error(delayed: authentication.LoginDelayed) -> forms.ValidationError:
    """The refusal of a login that must wait, saying until when (local time)."""
    retry_at = timezone.localtime(delayed.retry_at)
    return forms.ValidationError(
        DELAYED_MESSAGE, code="delayed", params={"time": retry_at.strftime("%Y-%m-%d %H:%M:%S")}
    )


class SignInFormMixin:
    """Django's login form, signing in through the one audited and rate-limited path
    (``shuzheng.accounts.authentication.sign_in``, issue 9)."""

    @sensitive_variables("password")
    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = authentication.sign_in(
                    self.request, username, password, confirm=self.confirm_login_allowed
                )
            except authentication.LoginDelayed as delayed:
                raise delayed_error(delayed) from None
            if self.user_cache is None:
                raise self.get_invalid_login_error()
        return self.cleaned_data


class SignInForm(SignInFormMixin, AuthenticationForm):
    """The login page's form."""


class AdminSignInForm(SignInFormMixin, AdminAuthenticationForm):
    """The admin's login form: the same path, and only administrators get in."""


class ReauthenticatingPasswordChangeForm(PasswordChangeForm):
    """Django's password change, checking the old password on the login's path (its limits
    and its audit of failures), so a session left open cannot be used to guess it."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    @sensitive_variables("old_password")
    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        try:
            correct = authentication.verify_password(self.request, self.user, old_password)
        except authentication.LoginDelayed as delayed:
            raise delayed_error(delayed) from None
        if not correct:
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What uses this token, e.g. “statistics bureau import script”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=[(scope, SCOPE_LABELS[scope]) for scope in SCOPES],
        initial=[READ],
        widget=forms.CheckboxSelectMultiple,
    )
    expires_days = forms.IntegerField(
        label=_("Expires after (days)"),
        required=False,
        min_value=1,
        max_value=3650,
        initial=90,
        help_text=_("Leave empty for a token that does not expire."),
    )
