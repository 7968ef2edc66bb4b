"""Forms of the account pages."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from shuzheng.accounts import services
from shuzheng.accounts.permissions import READ, SCOPES, WRITE

SCOPE_LABELS = {READ: _("Read"), WRITE: _("Write (implies read)")}


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing a username that failed too often lately (issue 2)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed logins for this account. Wait 15 minutes and try again, "
            "or ask an administrator to reset the password."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and services.login_locked(username):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        return super().clean()


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
