from django.urls import path

from shuzheng.hotline import views

app_name = "hotline"
urlpatterns = [
    path("", views.submit, name="submit"),
    path("track/", views.track, name="track"),
    path("track/<str:number>/", views.track_detail, name="track_detail"),
]
