"""Forms of the organisations pages: the unit box every form that asks for a unit uses, and
the forms of the people a unit has (issue 14, point 5)."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from shuzheng.accounts.choices import Role
from shuzheng.accounts.permissions import roles_assignable_by
from shuzheng.orgs.services import UnitNotFound, unit_named


class UnitInput(forms.TextInput):
    """A text box for a unit's name with suggestions as one types: htmx fills its
    ``<datalist>`` from ``orgs:unit_suggestions``; without JavaScript the name typed is
    resolved when the form is sent (:class:`UnitField`)."""

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "maxlength": "128", **(attrs or {})})

    def format_value(self, value):
        return super().format_value(value.name if hasattr(value, "name") else value)

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or self.attrs.get('id') or f'id_{name}'}-suggestions"
        attrs.update(
            {
                "list": list_id,
                "hx-get": reverse("orgs:unit_suggestions"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": f"#{list_id}",
                "hx-sync": "this:replace",
            }
        )
        box = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}"></datalist>', box, list_id)


class UnitField(forms.CharField):
    """A unit given by its name (full, short, alias, or a region's name for its
    government), resolved through the one resolver; several matches are refused with their
    names. Issue 14, point 5: no form asks for a raw numeric unit id."""

    widget = UnitInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 128)
        kwargs.setdefault(
            "help_text",
            _("The unit's name, e.g. 自治区财政厅 or 银川市: pick one of the suggestions."),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value.name if hasattr(value, "name") else value

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            return unit_named(text)
        except UnitNotFound as error:
            message = str(error)
            if error.candidates:
                message = f"{message}{'；'.join(error.candidates)}"
            raise forms.ValidationError(message) from None


def role_choices(actor_role: str):
    return [(role, Role(role).label) for role in roles_assignable_by(actor_role)]


class PersonForm(forms.Form):
    """A new account: who, which role, which unit (a unit head's own unit is fixed)."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("What the person signs in with: letters, digits and @ . + - _"),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"))
    unit = UnitField(label=_("Unit"), required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(actor.role)
        if actor.role != Role.ADMINISTRATOR:
            # A unit head staffs their own unit: the box is not offered.
            del self.fields["unit"]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    unit = UnitField(label=_("Unit"), required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(actor.role)
        if actor.role != Role.ADMINISTRATOR:
            del self.fields["unit"]


class PeopleFilterForm(forms.Form):
    unit = UnitField(label=_("Unit"), required=False)
    q = forms.CharField(label=_("Name or username"), required=False, max_length=100)
