"""Forms of the inbox settings page."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class EmailPreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(
        label=_("Send my notifications by email too"), required=False
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mails"),
        choices=[("", _("The site's language")), *settings.LANGUAGES],
        required=False,
    )


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=_("Webhook URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("We POST a signed JSON message to this http:// or https:// address."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=100,
        required=False,
        help_text=_("What receives it, e.g. “office chat bot”."),
    )
