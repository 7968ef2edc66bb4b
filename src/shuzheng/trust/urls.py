"""The trust pages under /trust/ (the licences' own under /trust/licences/)."""

from django.urls import path

from shuzheng.trust import seal_views, verify_views

app_name = "trust"

urlpatterns = [
    path("verify/", verify_views.verify, name="verify"),
    path("root.json", verify_views.root_json, name="root_json"),
    path("crl.json", verify_views.crl_json, name="crl_json"),
    path("seals/", seal_views.seal_list, name="seals"),
    path("seals/new/", seal_views.seal_create, name="seal_create"),
    path("seals/<int:pk>/", seal_views.seal_detail, name="seal_detail"),
    path("seals/<int:pk>/revoke/", seal_views.seal_revoke, name="seal_revoke"),
    path("seals/<int:pk>/image.png", seal_views.seal_image, name="seal_image"),
    path("ca/", seal_views.authority, name="authority"),
]
