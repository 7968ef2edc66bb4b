from django.urls import path

from shuzheng.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("ingest/", views.ingest, name="ingest"),
    path("ingest/jobs/<int:pk>/", views.ingest_job, name="ingest_job"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/topics/", views.document_topics, name="topics"),
    path("<int:pk>/print/", views.document_print, name="print"),
    path("<int:pk>/original/", views.document_original, name="original"),
]
