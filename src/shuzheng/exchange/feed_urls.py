"""The change feed's pages (issue 16, points 4 and 7), under /exchange/."""

from django.urls import path

from shuzheng.exchange import feed_views as views

urlpatterns = [
    path("feed/", views.subscriptions, name="feed"),
    path("feed/subscribe/", views.subscribe, name="feed_subscribe"),
    path("feed/subscribers/", views.subscribers, name="feed_subscribers"),
    path("feed/<int:pk>/", views.subscription_detail, name="feed_subscription"),
    path("feed/<int:pk>/active/", views.set_active, name="feed_active"),
    path("feed/deliveries/<int:pk>/redeliver/", views.redeliver, name="feed_redeliver"),
    path("office/feed/", views.office, name="office_feed"),
]
