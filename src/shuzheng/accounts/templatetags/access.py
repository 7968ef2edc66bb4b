"""``{% load access %}`` … ``{% if user|can:"view_audit" %}``: templates ask the same table."""

from django import template

from shuzheng.accounts.authorization import has_perm

register = template.Library()


@register.filter
def can(user, perm: str) -> bool:
    return has_perm(user, perm)
