"""Forms of the subscriptions pages (issue 4, item 4; seed task 89)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shuzheng.orgs.choices import RegionLevel
from shuzheng.orgs.forms import UnitInput
from shuzheng.orgs.models import Region
from shuzheng.subscriptions.choices import EnterpriseSize, SubscriptionKind

NAME_HELP = _("Optional: a name for this subscription in your list.")


class TopicForm(forms.Form):
    topic = forms.CharField(
        label=_("Topic"),
        max_length=64,
        help_text=_("A term, e.g. 数据共享 or 惠企政策: new passages using it are pushed to you."),
    )
    name = forms.CharField(label=_("Name"), max_length=100, required=False, help_text=NAME_HELP)


class UnitForm(forms.Form):
    unit = forms.CharField(
        label=_("Unit"),
        max_length=128,
        widget=UnitInput(),
        help_text=_(
            "Full name, short name or code, e.g. 自治区财政厅: documents it issues and "
            "key tasks it is responsible for are pushed to you."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=100, required=False, help_text=NAME_HELP)


class SubscriptionEditForm(forms.Form):
    """Name and state of any subscription, plus the search words and filters of a saved
    search or the term of a topic."""

    name = forms.CharField(label=_("Name"), max_length=100, required=False, help_text=NAME_HELP)
    active = forms.BooleanField(label=_("Active (push new matches to me)"), required=False)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        if kind == SubscriptionKind.TOPIC:
            self.fields["topic"] = forms.CharField(label=_("Topic"), max_length=64)
        if kind == SubscriptionKind.SEARCH:
            self.fields["q"] = forms.CharField(
                label=_("Search words"), max_length=500, required=False
            )
            for name, label in SEARCH_FILTERS:
                self.fields[name] = forms.CharField(label=label, max_length=128, required=False)


#: The facet filters of a saved search, as the /search/ page names its parameters.
SEARCH_FILTERS = (
    ("issuer", _("Issuer")),
    ("unit", _("Responsible unit")),
    ("year", _("Year")),
    ("type", _("Document type")),
    ("kind", _("Level (document, section or task)")),
    ("number", _("Document number")),
    ("validity", _("Validity")),
    ("deadline_year", _("Deadline year")),
)


class EnterpriseProfileForm(forms.Form):
    industry = forms.CharField(
        label=_("Industry"),
        max_length=50,
        required=False,
        help_text=_("As policies name it, e.g. 制造业, 软件和信息技术服务业."),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.filter(
            level__in=[RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY]
        ).order_by("code"),
        required=False,
        empty_label=_("Not set"),
    )
    size = forms.ChoiceField(
        label=_("Size"),
        choices=[("", _("Not set")), *EnterpriseSize.choices],
        required=False,
    )
    tags = forms.CharField(
        label=_("Tags"),
        max_length=250,
        required=False,
        help_text=_(
            "Up to 10 words your policies would use, separated by commas, e.g. 专精特新, 跨境电商."
        ),
    )
    active = forms.BooleanField(label=_("Push policies that fit my profile"), required=False)
