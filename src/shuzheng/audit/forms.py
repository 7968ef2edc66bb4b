"""The filter form of the /audit/ page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shuzheng.audit.queries import EventFilter


class EventFilterForm(forms.Form):
    actor = forms.CharField(label=_("Actor (username)"), required=False, max_length=150)
    action = forms.CharField(label=_("Action"), required=False, max_length=64)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=100)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date lies after the end date."))
        return cleaned

    def criteria(self) -> EventFilter:
        """The filter to apply; an invalid form filters nothing rather than guessing."""
        if not self.is_valid():
            return EventFilter()
        data = self.cleaned_data
        return EventFilter(
            actor=data["actor"],
            action=data["action"],
            object_type=data["object_type"],
            since=data["since"],
            until=data["until"],
        )
