from django.urls import path

from shuzheng.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.register, name="register"),
    path("review/", views.review, name="review"),
    path("statistics/", views.statistics, name="statistics"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/versions/", views.versions, name="versions"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/return/", views.return_resource, name="return"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/distributions/", views.add_distribution, name="add_distribution"),
]
