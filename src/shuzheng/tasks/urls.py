from django.urls import path

from shuzheng.tasks import views

app_name = "tasks"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/undertake/", views.undertake, name="undertake"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/claim/", views.claim, name="claim"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/decompose/", views.decompose, name="decompose"),
    path("<int:pk>/settings/", views.settings_view, name="settings"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
]
