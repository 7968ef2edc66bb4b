from django.urls import path

from shuzheng.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.registry, name="registry"),
    path("units/<slug:code>/", views.unit_detail, name="unit_detail"),
    path("resolve/", views.resolve, name="resolve"),
]
