"""Forms of the ledger pages: the action forms of the supervision cycle (the ledger's
filters are ``tasks.filtersets.LedgerFilterSet``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shuzheng.orgs.forms import UnitField, UnitInput
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


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea)


class WatchForm(forms.Form):
    watch = forms.BooleanField(label=_("Follow"), required=False)


class ExtensionForm(forms.Form):
    milestone = forms.IntegerField(label=_("Milestone"), min_value=1, max_value=2**31 - 1)
    proposed_due_on = forms.DateField(label=_("Proposed due date"))
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=64)


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Approve")), ("no", _("Refuse"))],
        coerce=lambda value: value == "yes",
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class BulkAssignForm(forms.Form):
    tasks = forms.TypedMultipleChoiceField(label=_("Tasks"), coerce=int, choices=())
    unit = UnitField(label=_("Unit"), widget=UnitInput(attrs={"id": "bulk-unit"}))
    due_on = forms.DateField(label=_("Due on"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any task number: the service checks each task the caller chose.
        values = self.data.getlist("tasks") if hasattr(self.data, "getlist") else []
        self.fields["tasks"].choices = [
            (v, v) for v in values if str(v).isdigit() and len(str(v)) <= 9
        ]


class SavedFilterForm(forms.Form):
    name = forms.CharField(label=_("Name of the filter"), max_length=100)
    query = forms.CharField(label=_("Filter"), required=False, max_length=1000)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"))
    end = forms.DateField(label=_("To"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return cleaned
