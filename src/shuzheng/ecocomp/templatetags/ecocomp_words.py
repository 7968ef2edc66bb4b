"""``{% load ecocomp_words %}``: amounts in yuan, bar widths, water-quality classes."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from shuzheng.ecocomp import rendering

register = template.Library()


@register.filter
def yuan(value) -> str:
    return "" if value is None else rendering.yuan(value)


@register.filter
def money(value) -> str:
    return "" if value is None else rendering.money(value)


@register.filter
def width(percent) -> str:
    """The class of a bar segment ``percent`` wide (w-0 … w-100)."""
    whole = int(Decimal(percent).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return f"w-{min(max(whole, 0), 100)}"


@register.filter
def water_class(number) -> str:
    return rendering.class_name(number)


@register.filter
def signed_yuan(value) -> str:
    if value is None:
        return ""
    return ("+" if value > 0 else "") + rendering.yuan(value)
