"""The exchange office's pages of the message log (exchange-log), under /exchange/office/."""

from django.urls import path

from shuzheng.exchange import log_views

urlpatterns = [
    path("office/", log_views.overview, name="office"),
    path("office/log/", log_views.message_log, name="message_log"),
    path("office/log/verify/", log_views.verification, name="log_verification"),
    path("office/log/verify/run/", log_views.verify_now, name="log_verify_now"),
    path("office/log/seal/", log_views.seal_now, name="log_seal_now"),
]
