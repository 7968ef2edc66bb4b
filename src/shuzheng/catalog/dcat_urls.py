from django.urls import path, re_path

from shuzheng.catalog import dcat_views

app_name = "catalog_dcat"

urlpatterns = [
    path("catalog", dcat_views.catalog, name="catalog"),
    re_path(r"^catalog\.(?P<suffix>ttl|xml|jsonld)$", dcat_views.catalog, name="catalog_document"),
    path("dataset/<int:pk>", dcat_views.dataset, name="dataset"),
    re_path(
        r"^dataset/(?P<pk>[0-9]+)\.(?P<suffix>ttl|xml|jsonld)$",
        dcat_views.dataset,
        name="dataset_document",
    ),
    path(
        "dataset/<int:pk>/resource/<int:distribution>/download",
        dcat_views.download,
        name="download",
    ),
]
