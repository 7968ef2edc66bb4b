"""The open-data portal's pages under ``/data/`` (issue 11, item 5)."""

from django.urls import path

from shuzheng.catalog import portal_views

app_name = "catalog_portal"

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("dataset/<int:pk>/", portal_views.dataset, name="dataset"),
    path(
        "dataset/<int:pk>/resource/<int:distribution>/",
        portal_views.distribution,
        name="distribution",
    ),
]
