"""Project-level pages: the home page that introduces the platform."""

from django.shortcuts import render

from shuzheng.orgs.services import registry_overview


def home(request):
    return render(request, "shuzheng/home.html", {"registry": registry_overview()})
