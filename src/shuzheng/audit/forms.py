"""The form behind the audit trail's FilterSet: its fields come from
``audit.filtersets.EventFilterSet``; this adds the check across them."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DateRangeForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date lies after the end date."))
        return cleaned
