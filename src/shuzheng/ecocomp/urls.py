from django.urls import path

from shuzheng.ecocomp import views

app_name = "ecocomp"

urlpatterns = [
    path("", views.published, name="published"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/county/<str:code>/", views.county_explanation, name="explain"),
    path("runs/<int:pk>/export.xlsx", views.run_export, {"kind": "xlsx"}, name="run_xlsx"),
    path("runs/<int:pk>/export.pdf", views.run_export, {"kind": "pdf"}, name="run_pdf"),
    path("runs/<int:pk>/export-sealed.pdf", views.run_sealed_pdf, name="run_sealed_pdf"),
    path("runs/<int:pk>/what-if/", views.what_if, name="what_if"),
    path("runs/<int:pk>/approve/", views.approve_run, name="approve"),
    path("runs/<int:pk>/finalise/", views.finalise_run, name="finalise"),
    path("rule-sets/", views.rule_sets, name="rule_sets"),
    path("rule-sets/<int:pk>/", views.rule_set_detail, name="rule_set"),
    path("rule-sets/<int:pk>/import/", views.import_factors, name="import_factors"),
    path("rule-sets/<int:pk>/review/", views.review_rule_set, name="review"),
    path("rule-sets/<int:pk>/run/", views.run_rule_set, name="run_rule_set"),
    path("rule-sets/<int:pk>/evaluate/", views.evaluate_counties, name="evaluate"),
    path("county/", views.my_county, name="my_county"),
    path("county/<str:code>/", views.county, name="county"),
    path("sections/", views.sections, name="sections"),
    path("sections/import/", views.import_monitoring, name="import_monitoring"),
    path("sections/<slug:code>/", views.section_detail, name="section"),
    path("agreements/", views.agreements, name="agreements"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/settle/", views.settle, name="settle"),
    path("settlements/<int:pk>/", views.settlement_detail, name="settlement"),
    path(
        "settlements/<int:pk>/export.xlsx",
        views.settlement_export,
        {"kind": "xlsx"},
        name="settlement_xlsx",
    ),
    path(
        "settlements/<int:pk>/export.pdf",
        views.settlement_export,
        {"kind": "pdf"},
        name="settlement_pdf",
    ),
    path(
        "settlements/<int:pk>/export-sealed.pdf",
        views.settlement_sealed_pdf,
        name="settlement_sealed_pdf",
    ),
]
