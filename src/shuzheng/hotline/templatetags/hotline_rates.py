"""``{{ rate|rate }}``: a rate of ``hotline.rates`` as a percentage, "—" when there is none."""

from django import template

register = template.Library()


@register.filter
def rate(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"
