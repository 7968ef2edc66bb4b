"""Forms of the document pages: the upload form and the 主题分类 editor (the list's filter is
``documents.filtersets.DocumentFilterSet``)."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shuzheng.text import topics as topic_rules


class IngestForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A gazette or official document: txt, md, docx, pdf or html."),
        allow_empty_file=True,  # the service explains an empty file in its own words
    )


def topic_choices() -> list[tuple[str, str]]:
    """The 主题分类 as choices, named in the page's language."""
    language = get_language() or ""
    return [(topic.code, topic.name(language)) for topic in topic_rules.topics()]


class TopicsForm(forms.Form):
    """An editor's 主题分类 of a document (issue 14, point 3): one or more classes."""

    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=topic_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one topic.")},
    )
