"""The trust pages under /trust/ (the licences' own under /trust/licences/)."""

from django.urls import path

from shuzheng.trust import verify_views

app_name = "trust"

urlpatterns = [
    path("verify/", verify_views.verify, name="verify"),
    path("root.json", verify_views.root_json, name="root_json"),
    path("crl.json", verify_views.crl_json, name="crl_json"),
]
