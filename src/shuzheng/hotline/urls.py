from django.urls import path

from shuzheng.hotline import views

app_name = "hotline"
urlpatterns = [
    path("", views.submit, name="submit"),
    path("track/", views.track, name="track"),
    path("track/<str:number>/", views.track_detail, name="track_detail"),
    path("rate/<str:number>/<int:reply_id>/<str:signature>/", views.rate, name="rate"),
    path("mine/", views.mine, name="mine"),
    path("mine/export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("mine/export.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("requests/<str:number>/", views.detail, name="detail"),
    path("requests/<str:number>/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("requests/<str:number>/accept/", views.accept, name="accept"),
    path("requests/<str:number>/return/", views.return_back, name="return"),
    path("requests/<str:number>/reply/", views.reply, name="reply"),
    path("requests/<str:number>/callback/", views.callback, name="callback"),
    path("requests/<str:number>/merge/", views.merge, name="merge"),
    path("requests/<str:number>/unmerge/", views.unmerge, name="unmerge"),
    path("console/", views.console, name="console"),
    path("console/history/", views.caller_history, name="caller_history"),
    path("console/hints/", views.console_hints, name="console_hints"),
    path("overdue/", views.overdue, name="overdue"),
    path("disputes/", views.disputes, name="disputes"),
    path("disputes/<int:pk>/decide/", views.decide, name="decide"),
    path("rates/", views.rates_view, name="rates"),
    path("hot-spots/", views.hot_spots, name="hot_spots"),
    path("answers/", views.answers, name="answers"),
    path("knowledge/", views.knowledge_list, name="knowledge"),
    path("knowledge/new/", views.knowledge_new, name="knowledge_new"),
    path("knowledge/<int:pk>/", views.knowledge_detail, name="knowledge_detail"),
    path("knowledge/<int:pk>/edit/", views.knowledge_edit, name="knowledge_edit"),
    path("knowledge/<int:pk>/review/", views.knowledge_review, name="knowledge_review"),
    path("knowledge/<int:pk>/withdraw/", views.knowledge_withdraw, name="knowledge_withdraw"),
]
