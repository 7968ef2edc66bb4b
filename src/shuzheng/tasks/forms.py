"""Forms of the ledger pages: the action forms of the supervision cycle (the ledger's
filters are ``tasks.filtersets.LedgerFilterSet``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shuzheng.tasks.choices import ReportCycle


class TaskForm(forms.Form):
    category = forms.CharField(label=_("Category"), required=False, max_length=200)
    content = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 3}))
    responsibility = forms.CharField(
        label=_("Responsible units"),
        required=False,
        max_length=500,
        help_text=_("As a document writes it, e.g. 自治区财政厅牵头，各市、县（区）配合."),
    )
    deadline = forms.CharField(
        label=_("Deadline"),
        max_length=200,
        help_text=_("As a document writes it, e.g. 2024年, 2023年启动，2024年建成, 长期坚持."),
    )
    report_cycle = forms.ChoiceField(label=_("Report cycle"), choices=ReportCycle.choices)
    is_public = forms.BooleanField(label=_("Public"), required=False)


class SettingsForm(forms.Form):
    report_cycle = forms.ChoiceField(label=_("Report cycle"), choices=ReportCycle.choices)
    is_public = forms.BooleanField(label=_("Public"), required=False)


class AssignForm(forms.Form):
    unit = forms.CharField(label=_("Unit"), max_length=64)
    due_on = forms.DateField(label=_("Due on"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class UnitActionForm(forms.Form):
    """Accepting a task; ``unit`` only matters for people without a unit (administrators)."""

    unit = forms.CharField(label=_("Unit"), required=False, max_length=64)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class ReportForm(UnitActionForm):
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(
        label=_("Percent complete"), required=False, min_value=0, max_value=100
    )
    evidence = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        allow_empty_file=True,  # the service explains an empty file in its own words
        help_text=_("PDF, images, office documents, OFD, ZIP, text or CSV."),
    )


class ClaimForm(UnitActionForm):
    text = forms.CharField(label=_("What was achieved"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = MultipleFileField(label=_("Evidence files"), required=False, allow_empty_file=True)


class CloseForm(forms.Form):
    rating = forms.IntegerField(label=_("Rating (1–5)"), required=False, min_value=1, max_value=5)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DecomposeForm(forms.Form):
    units = forms.MultipleChoiceField(label=_("Units"), required=False)
    groups = forms.MultipleChoiceField(label=_("Unit groups"), required=False)
    per_year = forms.BooleanField(label=_("One sub-task per year"), required=False)

    def __init__(self, *args, unit_choices=(), group_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = unit_choices
        self.fields["groups"].choices = group_choices
