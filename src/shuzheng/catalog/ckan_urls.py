"""``/api/3/action/`` and ``/api/action/``: the CKAN-compatible Action API (catalog.ckan_api).

One route per action, so that each has its name and its permission case; any other name is
CKAN's "Action name not known"."""

from django.urls import path

from shuzheng.catalog import ckan_api

app_name = "ckan"
urlpatterns = [
    *(path(name, ckan_api.dispatch, {"name": name}, name=name) for name in ckan_api.ACTIONS),
    path("<str:name>", ckan_api.unknown, name="unknown"),
]
