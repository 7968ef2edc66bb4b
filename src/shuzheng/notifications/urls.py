from django.urls import path

from shuzheng.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/read/", views.mark_read, name="read"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("settings/", views.inbox_settings, name="settings"),
    path("settings/email/", views.set_email, name="email"),
    path("settings/webhooks/", views.webhook_add, name="webhook_add"),
    path("settings/webhooks/<int:pk>/test/", views.webhook_test, name="webhook_test"),
    path("settings/webhooks/<int:pk>/active/", views.webhook_active, name="webhook_active"),
    path("settings/webhooks/<int:pk>/delete/", views.webhook_delete, name="webhook_delete"),
]
