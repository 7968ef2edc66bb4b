"""The change feed's form (issue 16, point 4): a consumer unit subscribes one of its live
grants' tables, pulled by cursor or pushed to a webhook address."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shuzheng.exchange.choices import FeedChannel
from shuzheng.exchange.feed_selectors import subscribable_grants


class GrantChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.resource.code} {obj.resource.title}"


class SubscribeForm(forms.Form):
    grant = GrantChoice(label=_("Granted data"), queryset=None)
    channel = forms.ChoiceField(
        label=_("How the changes are received"),
        choices=FeedChannel.choices,
        initial=FeedChannel.PULL,
    )
    webhook_url = forms.CharField(
        label=_("Webhook address"),
        required=False,
        max_length=500,
        help_text=_("Only for a signed webhook: the http:// or https:// address we POST to."),
    )

    def __init__(self, *args, unit_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grant"].queryset = subscribable_grants(unit_id)
