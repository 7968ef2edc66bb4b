"""The licence pages, under /trust/licences/."""

from django.urls import path

from shuzheng.trust import licence_views as views

app_name = "licences"

urlpatterns = [
    path("", views.licence_list, name="list"),
    path("mine/", views.mine, name="mine"),
    path("types/", views.types, name="types"),
    path("types/new/", views.type_create, name="type_create"),
    path("types/<int:pk>/", views.type_detail, name="type_detail"),
    path("types/<int:pk>/edit/", views.type_edit, name="type_edit"),
    path("types/<int:pk>/issue/", views.issue, name="issue"),
    path("types/<int:pk>/bulk/", views.bulk, name="bulk"),
    path("types/<int:pk>/template.xlsx", views.template, name="template"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/status/", views.change_status, name="status"),
    path("<str:number>/pdf/", views.pdf, name="pdf"),
]
