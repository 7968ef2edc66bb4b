"""Forms of the document pages: the upload form and the list filter."""

from django import forms
from django.utils.translation import gettext_lazy as _


class IngestForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A gazette or official document: txt, md, docx, pdf or html."),
        allow_empty_file=True,  # the service explains an empty file in its own words
    )


class DocumentFilterForm(forms.Form):
    q = forms.CharField(label=_("Title or document number"), required=False, max_length=200)
    doc_type = forms.CharField(label=_("Document type"), required=False, max_length=16)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1949, max_value=2100)
    issuer = forms.CharField(label=_("Issuer"), required=False, max_length=64)

    def criteria(self) -> dict:
        """The filters to apply; an invalid field filters nothing rather than guessing."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})  # an unbound form filters nothing
        return {
            "q": data.get("q", ""),
            "doc_type": data.get("doc_type", ""),
            "year": data.get("year"),
            "issuer": data.get("issuer", ""),
        }
