from django.contrib import admin
from django.urls import include, path, re_path

from shuzheng import views
from shuzheng.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("text-size/", views.text_size, name="text_size"),
    path("accounts/", include("shuzheng.accounts.urls")),
    path("orgs/", include("shuzheng.orgs.urls")),
    path("documents/", include("shuzheng.documents.urls")),
    path("tasks/", include("shuzheng.tasks.urls")),
    path("audit/", include("shuzheng.audit.urls")),
    path("search/", include("shuzheng.search.urls")),
    path("inbox/", include("shuzheng.notifications.urls")),
    path("dashboard/", include("shuzheng.dashboard.urls")),
    path("subscriptions/", include("shuzheng.subscriptions.urls")),
    path("ecocomp/", include("shuzheng.ecocomp.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("open311/v2/", include("shuzheng.hotline.open311_urls")),
    path("hotline/", include("shuzheng.hotline.urls")),
    path("", include("shuzheng.catalog.dcat_urls")),
    re_path(r"^api/(?:3/)?action/", include("shuzheng.catalog.ckan_urls")),
    path("catalog/", include("shuzheng.catalog.urls")),
    path("exchange/", include("shuzheng.exchange.urls")),
    path("trust/licences/", include("shuzheng.trust.licence_urls")),
    path("trust/", include("shuzheng.trust.urls")),
    path("data/", include("shuzheng.catalog.portal_urls")),
]

handler400 = "shuzheng.views.bad_request"
handler403 = "shuzheng.accounts.views.permission_denied"
# 404.html is rendered by Django's own handler, which passes the request (layout, language).
handler500 = "shuzheng.views.server_error"
