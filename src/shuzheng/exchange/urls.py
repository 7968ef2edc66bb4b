"""The exchange's pages; each part keeps its own ``<part>_urls.py``, included here."""

from django.urls import include, path

app_name = "exchange"
urlpatterns = [
    path("", include("shuzheng.exchange.log_urls")),
    path("", include("shuzheng.exchange.request_urls")),
    path("", include("shuzheng.exchange.data_urls")),
    path("", include("shuzheng.exchange.feed_urls")),
]
