"""The consumer's and the provider's data pages (exchange-data), under /exchange/."""

from django.urls import path

from shuzheng.exchange import data_views as views

urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
    path("usage/", views.usage, name="usage"),
    path("publish/", views.publish, name="publish"),
    path("publish/<int:pk>/", views.publish_resource, name="publish_resource"),
    path("tables/<int:pk>/", views.table_detail, name="table"),
    path("tables/<int:pk>/upload/", views.upload, name="upload_rows"),
]
