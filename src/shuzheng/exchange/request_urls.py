"""The requests part's pages (exchange-requests), under /exchange/."""

from django.urls import path

from shuzheng.exchange import request_views as views

urlpatterns = [
    path("", views.home, name="home"),
    path("requests/", views.my_requests, name="requests"),
    path("requests/new/", views.new_request, name="new_request"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/submit/", views.submit, name="submit_request"),
    path("requests/<int:pk>/approve/", views.approve, name="approve_request"),
    path("requests/<int:pk>/refuse/", views.refuse, name="refuse_request"),
    path("requests/<int:pk>/return/", views.send_back, name="return_request"),
    path("requests/<int:pk>/route/", views.route, name="route_request"),
    path("approvals/", views.approvals, name="approvals"),
    path("routing/", views.routing, name="routing"),
    path("grants/", views.grants, name="grants"),
    path("grants/<int:pk>/revoke/", views.revoke, name="revoke_grant"),
    path("objections/", views.objections, name="objections"),
    path("objections/new/", views.new_objection, name="new_objection"),
    path("objections/<int:pk>/", views.objection_detail, name="objection"),
    path("objections/<int:pk>/evidence/", views.objection_evidence, name="objection_evidence"),
    path("objections/<int:pk>/answer/", views.answer, name="answer_objection"),
    path("statistics/", views.statistics, name="statistics"),
]
