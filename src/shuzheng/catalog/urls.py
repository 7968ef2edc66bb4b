from django.urls import path

from shuzheng.catalog import import_views, quality_views, views

app_name = "catalog"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.register, name="register"),
    path("review/", views.review, name="review"),
    path("statistics/", views.statistics, name="statistics"),
    path("import/", import_views.upload, name="import"),
    path("import/template.xlsx", import_views.template, name="import_template"),
    path("import/<int:pk>/", import_views.job, name="import_job"),
    path("import/<int:pk>/problems.xlsx", import_views.job_errors, name="import_errors"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/versions/", views.versions, name="versions"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/return/", views.return_resource, name="return"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/distributions/", views.add_distribution, name="add_distribution"),
    path(
        "<int:pk>/distributions/<int:distribution>/download/",
        views.download_distribution,
        name="download_distribution",
    ),
    path("<int:pk>/quality/", quality_views.checks, name="quality"),
    path("<int:pk>/quality/run/", quality_views.run, name="quality_run"),
    path("<int:pk>/quality/<int:check_id>/edit/", quality_views.edit_check, name="quality_edit"),
    path(
        "<int:pk>/quality/<int:check_id>/delete/",
        quality_views.delete_check,
        name="quality_delete",
    ),
    path(
        "<int:pk>/quality/runs/<int:run_id>/failing-rows.csv",
        quality_views.failing_rows,
        name="quality_failing_rows",
    ),
]
