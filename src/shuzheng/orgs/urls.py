from django.urls import path

from shuzheng.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.registry, name="registry"),
    path("units/<slug:code>/", views.unit_detail, name="unit_detail"),
    path("resolve/", views.resolve, name="resolve"),
    path("suggest/units/", views.unit_suggestions, name="unit_suggestions"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_new, name="person_new"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/role/", views.person_role, name="person_role"),
    path("people/<int:pk>/active/", views.person_active, name="person_active"),
    path("people/<int:pk>/password/", views.person_password, name="person_password"),
    path("supervisors/", views.supervisor_list, name="supervisors"),
]
