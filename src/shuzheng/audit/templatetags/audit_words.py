"""The audit trail's codes in words on its pages (``shuzheng.audit.actions``)."""

from django import template

from shuzheng.audit.actions import action_label, object_type_label

register = template.Library()
register.filter("action_label", action_label)
register.filter("object_type_label", object_type_label)
