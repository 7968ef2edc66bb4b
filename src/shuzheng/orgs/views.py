"""HTML pages of the organisations registry."""

from django.shortcuts import render

from shuzheng.orgs.services import registry_overview


def registry(request):
    return render(request, "orgs/registry.html", {"registry": registry_overview()})
