"""Forms of the document pages: the upload form (the list's filter is
``documents.filtersets.DocumentFilterSet``)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class IngestForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A gazette or official document: txt, md, docx, pdf or html."),
        allow_empty_file=True,  # the service explains an empty file in its own words
    )
