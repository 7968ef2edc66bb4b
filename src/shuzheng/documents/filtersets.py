"""The document list's one filter, used by /documents/ and /api/v1/documents."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuzheng.documents.models import Document
from shuzheng.filtersets import FilterSet, YearFilter
from shuzheng.text.characters import fold_width
from shuzheng.text.doc_numbers import normalize_doc_number


class DocumentFilterSet(FilterSet):
    """Documents by words of the title or their number, type, year and issuer unit code.

    ``q`` matches title or number; a number is compared in its normalised form, so 〔 〕,
    [ ] and ［ ］ typed by the user all find 宁政发〔2023〕17号 (glossary: doc_number). The
    year is the year written, or published when the writing date is unknown.
    """

    q = django_filters.CharFilter(
        label=_("Title or document number"), max_length=200, method="filter_words"
    )
    doc_type = django_filters.CharFilter(label=_("Document type"), max_length=16)
    year = YearFilter(label=_("Year"), method="filter_year")
    issuer = django_filters.CharFilter(label=_("Issuer"), field_name="issuers__code", max_length=64)

    class Meta:
        model = Document
        fields = ["q", "doc_type", "year", "issuer"]

    def filter_words(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | _doc_number_matches(value))

    def filter_year(self, queryset, name, value):
        return queryset.filter(
            Q(written_on__year=value) | Q(written_on__isnull=True, published_on__year=value)
        )


def _doc_number_matches(q: str) -> Q:
    number = normalize_doc_number(q)
    return Q(doc_number=number) if number else Q(doc_number__icontains=fold_width(q))
