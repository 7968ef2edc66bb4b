"""``{% load trust_seals %}`` … ``{% sealing_units owner as seal_units %}``: the units whose seal
the signed-in person may use for a document (``trust.documents.sealing_units``), for the
"盖章下载" form (``trust/_seal_form.html``). Without an argument: any unit."""

from django import template

from shuzheng.trust.documents import sealing_units as units_for

register = template.Library()


@register.simple_tag(takes_context=True)
def sealing_units(context, *among):
    request = context.get("request")
    if request is None:
        return []
    return units_for(request.user, among or None)
