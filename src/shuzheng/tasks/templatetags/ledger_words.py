"""``{{ item|in_words }}``: a coded sentence of the pure rule modules (a light's verdict, a
score's line item, score card or region score) in the reader's language."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def in_words(item) -> str:
    return item.describe(gettext)


@register.filter
def kind_in_words(indicator) -> str:
    return indicator.describe_kind(gettext)


@register.filter
def settings_in_words(indicator) -> str:
    return indicator.describe_settings(gettext)
