"""Input of the seal administration pages: a new seal, a revocation. The forms shape input;
the rules (kinds, name, the PNG picture's size and bounds) are ``trust.services``'s."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shuzheng.orgs.forms import UnitField
from shuzheng.trust.choices import UNIT_SEAL_KINDS, SealKind
from shuzheng.trust.services import IMAGE_MAX_BYTES

KIND_CHOICES = [(kind.value, kind.label) for kind in (SealKind(k) for k in UNIT_SEAL_KINDS)]


class SealForm(forms.Form):
    unit = UnitField(label=_("Unit"))
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES)
    name = forms.CharField(
        label=_("Seal name"),
        max_length=100,
        help_text=_("As carved on the seal, e.g. 银川市市场监督管理局行政审批专用章."),
    )
    image = forms.FileField(
        label=_("Seal picture (PNG)"),
        required=False,
        help_text=_(
            "A PNG picture up to 1 MB and 2000 pixels a side; left empty, the round red "
            "seal is drawn from the unit's name."
        ),
    )

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if upload is None:
            return None
        if upload.size > IMAGE_MAX_BYTES:
            raise forms.ValidationError(_("The seal's picture is larger than 1 MB."))
        return upload.read()


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revocation"), max_length=200)
