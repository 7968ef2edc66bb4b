"""The ecocomp pages for the axe census (tests/browser/test_axe_every_page.py): how to reach
one object of each page with arguments, and which routes answer no page."""

from django.urls import reverse

from shuzheng.ecocomp.models import AllocationRun, BasinAgreement, Settlement
from shuzheng.ecocomp.samples import load_sample_ecocomp


def ecocomp_objects() -> dict:
    """The sample compensation data (the registry must be loaded)."""
    load_sample_ecocomp()
    return {
        "run": AllocationRun.objects.get(rule_set__is_sample=True),
        "agreement": BasinAgreement.objects.get(section__code="wufosi"),
        "settlement": Settlement.objects.get(agreement__section__code="ditch3-outfall"),
    }


def _run(world):
    return world["ecocomp"]["run"]


ECOCOMP_PAGES = {
    "ecocomp:run": lambda w: reverse("ecocomp:run", args=[_run(w).pk]),
    "ecocomp:explain": lambda w: reverse("ecocomp:explain", args=[_run(w).pk, "640522"]),
    "ecocomp:rule_set": lambda w: reverse("ecocomp:rule_set", args=[_run(w).rule_set_id]),
    "ecocomp:county": lambda w: reverse("ecocomp:county", args=["640522"]),
    "ecocomp:section": lambda w: reverse("ecocomp:section", args=["ditch3-outfall"]),
    "ecocomp:agreement": lambda w: reverse(
        "ecocomp:agreement", args=[w["ecocomp"]["agreement"].pk]
    ),
    "ecocomp:settlement": lambda w: reverse(
        "ecocomp:settlement", args=[w["ecocomp"]["settlement"].pk]
    ),
}
ECOCOMP_NOT_PAGES = {
    "ecocomp:run_xlsx": "download (Excel)",
    "ecocomp:run_pdf": "download (PDF)",
    "ecocomp:settlement_xlsx": "download (Excel)",
    "ecocomp:settlement_pdf": "download (PDF)",
    "ecocomp:run_sealed_pdf": "POST action (sealed PDF download)",
    "ecocomp:settlement_sealed_pdf": "POST action (sealed PDF download)",
    "ecocomp:what_if": "POST action",
    "ecocomp:approve": "POST action",
    "ecocomp:finalise": "POST action",
    "ecocomp:import_factors": "POST action",
    "ecocomp:review": "POST action",
    "ecocomp:run_rule_set": "POST action",
    "ecocomp:evaluate": "POST action",
    "ecocomp:settle": "POST action",
}
