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
    path("export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("export.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("circular.pdf", views.circular, name="circular"),
    path("timeline/", views.timeline, name="timeline"),
    path("bulk-assign/", views.bulk_assign, name="bulk_assign"),
    path("filters/", views.save_filter, name="save_filter"),
    path("filters/<int:pk>/delete/", views.delete_filter, name="delete_filter"),
    path("<int:pk>/slip.pdf", views.slip, name="slip"),
    path("<int:pk>/slip-sealed.pdf", views.slip_sealed, name="slip_sealed"),
    path("circular-sealed.pdf", views.circular_sealed, name="circular_sealed"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/watch/", views.watch, name="watch"),
    path("<int:pk>/extension/", views.request_extension, name="request_extension"),
    path("extensions/<int:pk>/decide/", views.decide_extension, name="decide_extension"),
]
