"""Forms of the hotline's pages: the citizens' submission (with each service's Open311
attributes), the operator console, the units' actions and the callback survey.

The forms check the shape of what is typed; the rules (a known service, its required
attributes, a place in Ningxia, images and PDF only) are the services' (``submit_request``),
whose refusals name the field they belong to and are shown beside it.
"""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuzheng.hotline.choices import AttributeDatatype, Satisfaction
from shuzheng.hotline.models import MAX_ANSWER, MAX_DESCRIPTION, MAX_QUESTION, ServiceCategory
from shuzheng.orgs.forms import UnitField
from shuzheng.tasks.forms import MultipleFileField, MultipleFileInput

#: What the file picker offers (the service judges the first bytes as well).
ACCEPTED_UPLOADS = "image/png,image/jpeg,image/gif,image/webp,application/pdf,.pdf"


def attribute_field_name(service_code: str, attribute_code: str) -> str:
    return f"attr__{service_code}__{attribute_code}"


class SubmitForm(forms.Form):
    """A request as a citizen (or an operator on the phone) enters it."""

    service_code = forms.ChoiceField(label=pgettext_lazy("hotline", "Category"))
    description = forms.CharField(
        label=pgettext_lazy("hotline", "Description"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 6, "data-counter": "description-counter"}),
        help_text=_("What happened, where and since when; at most 4,000 characters."),
    )
    address_string = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=200,
        help_text=_("The place of the matter, with its city or county (e.g. 银川市兴庆区…)."),
    )
    lat = forms.CharField(
        label=_("Latitude"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    long = forms.CharField(
        label=_("Longitude"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    media = MultipleFileField(
        label=_("Attachments"),
        required=False,
        allow_empty_file=True,  # the service names an empty or false file in its own words
        widget=MultipleFileInput(attrs={"accept": ACCEPTED_UPLOADS}),
        help_text=_("Images (PNG, JPEG, GIF, WebP) or PDF files, at most five of 10 MB each."),
    )
    name = forms.CharField(label=_("Your name"), required=False, max_length=64)
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("Email"), required=False)

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.services = list(services)
        # Answers that cite policy appear under the description as one types (即问即答).
        self.fields["description"].widget.attrs.update(
            {
                "hx-get": reverse("hotline:answers"),
                "hx-trigger": "keyup changed delay:800ms",
                "hx-target": "#knowledge-answers",
            }
        )
        self.fields["service_code"].choices = [("", _("Choose a category"))] + [
            (service.code, service.name) for service in self.services
        ]
        self.attribute_groups = []
        for service in self.services:
            names = []
            for attribute in service.attributes.all():
                name = attribute_field_name(service.code, attribute.code)
                self.fields[name] = _attribute_field(attribute)
                names.append(name)
            if names:
                self.attribute_groups.append((service, [self[name] for name in names]))

    def attributes(self) -> dict:
        """The attributes of the chosen service, keyed by their Open311 codes."""
        code = self.cleaned_data["service_code"]
        prefix = attribute_field_name(code, "")
        return {
            name.removeprefix(prefix): value
            for name, value in self.cleaned_data.items()
            if name.startswith(prefix) and value not in ("", [], None)
        }

    def field_for(self, error_field: str) -> str | None:
        """The form field an :class:`~shuzheng.hotline.services.IntakeError` names."""
        if error_field.startswith("attribute[") and self.is_bound:
            name = attribute_field_name(
                self.data.get("service_code", ""), error_field[len("attribute[") : -1]
            )
            return name if name in self.fields else None
        return error_field if error_field in self.fields else None


def _attribute_field(attribute) -> forms.Field:
    """A form field for an Open311 attribute; required-ness is the service's to check, for
    the chosen service only (the form shows every service's attributes)."""
    label = attribute.description
    choices = [(str(item["key"]), item.get("name", item["key"])) for item in attribute.values]
    if attribute.datatype == AttributeDatatype.SINGLEVALUELIST:
        return forms.ChoiceField(label=label, required=False, choices=[("", _("Choose"))] + choices)
    if attribute.datatype == AttributeDatatype.MULTIVALUELIST:
        return forms.MultipleChoiceField(
            label=label, required=False, choices=choices, widget=forms.CheckboxSelectMultiple
        )
    widget = forms.Textarea(attrs={"rows": 2}) if attribute.datatype == "text" else None
    return forms.CharField(label=label, required=False, max_length=500, widget=widget)


class TrackForm(forms.Form):
    number = forms.CharField(
        label=_("Tracking number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class SurveyForm(forms.Form):
    """回访: the caller's (or the operator's) verdict on the reply."""

    satisfaction = forms.ChoiceField(
        label=_("Are you satisfied with the reply?"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=pgettext_lazy("hotline", "Comment"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why your unit is not responsible"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MergeForm(forms.Form):
    """合并: the number of the request this one is merged under."""

    master = forms.CharField(label=_("Merge under request number"), max_length=20)


class UnmergeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is not the same matter"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply to the caller"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class DecideForm(forms.Form):
    unit = UnitField(label=_("Unit that handles it"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class ConsoleForm(SubmitForm):
    """The submission form as the phone console lays it out, keyboard first: the caller's
    number (focused) and name, then category, description, place; access keys on each
    (Alt+1 … Alt+4), the caller's history looked up after the number is typed, duplicates
    and suggestions while the description is typed (htmx)."""

    ORDER = ("phone", "name", "service_code", "description", "address_string", "lat", "long")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.ORDER)
        history = {
            "hx-post": reverse("hotline:caller_history"),
            "hx-trigger": "keyup changed delay:400ms, change",
            "hx-target": "#caller-history",
        }
        hints = {
            "hx-post": reverse("hotline:console_hints"),
            "hx-trigger": "keyup changed delay:600ms, change",
            "hx-target": "#console-hints",
        }
        self.fields["phone"].widget.attrs.update({"autofocus": True, "accesskey": "1"} | history)
        self.fields["service_code"].widget.attrs.update({"accesskey": "2"})
        for key in ("hx-get", "hx-target", "hx-trigger"):  # the public form's answers
            self.fields["description"].widget.attrs.pop(key, None)
        self.fields["description"].widget.attrs.update({"accesskey": "3"} | hints)
        self.fields["address_string"].widget.attrs.update({"accesskey": "4"} | hints)
        self.fields["name"].label = _("Caller's name")


class KnowledgeForm(forms.Form):
    """A knowledge entry: question, answer, the paragraphs it rests on (their links in the
    policy library, one a line), owner unit, review date."""

    question = forms.CharField(label=_("Question"), max_length=MAX_QUESTION)
    answer = forms.CharField(
        label=_("Answer"),
        max_length=MAX_ANSWER,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("In plain words, as the operator reads it out; at most 2,000 characters."),
    )
    sources = forms.CharField(
        label=_("Cited paragraphs"),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_(
            "The link of each paragraph the answer rests on, one a line: open the paragraph in "
            "the policy library and copy its link (/documents/…/#…)."
        ),
    )
    keywords = forms.CharField(
        label=_("Keywords"),
        required=False,
        max_length=300,
        help_text=_("Other words callers use for this question, separated by spaces."),
    )
    category = forms.ModelChoiceField(
        label=pgettext_lazy("hotline", "Category"),
        queryset=ServiceCategory.objects.filter(is_active=True).order_by("code"),
        required=False,
    )
    owner = UnitField(label=_("Owner unit"))
    review_on = forms.DateField(
        label=_("Review date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("When the owner checks the answer again; it stops answering after that day."),
    )


class KnowledgeReviewForm(forms.Form):
    review_on = forms.DateField(
        label=_("Next review date"), widget=forms.DateInput(attrs={"type": "date"})
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
