from django.urls import path

from shuzheng.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.registry, name="registry"),
]
