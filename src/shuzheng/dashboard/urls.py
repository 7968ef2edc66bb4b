from django.urls import path

from shuzheng.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("wall/", views.wall, name="wall"),
    path("ecocomp/", views.ecocomp, name="ecocomp"),
    path("hotline/", views.hotline, name="hotline"),
    path("refresh/", views.refresh, name="refresh"),
    path("tasks/", views.task_list, name="tasks"),
    path("assessment/rules/", views.rules, name="rules"),
    path("assessment/<int:year>/", views.assessment, name="assessment"),
    path("assessment/<int:year>/start/", views.start_rules, name="start_rules"),
    path("assessment/<int:year>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("assessment/<int:year>/export.pdf", views.export_pdf, name="export_pdf"),
    path(
        "assessment/<int:year>/export-sealed.pdf",
        views.export_sealed_pdf,
        name="export_sealed_pdf",
    ),
    path("assessment/<int:year>/units/<slug:unit>/", views.scorecard, name="scorecard"),
]
