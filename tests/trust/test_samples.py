"""The sample licences (示例数据) ``loadsample`` loads: plausible types of the sample registry's
departments with their 照面信息, each unit's seal, and licences whose PDFs verify."""

import pytest

from shuzheng.orgs.services import load_sample_registry
from shuzheng.trust import licences, sealed_pdf, services
from shuzheng.trust.licence_models import Licence, LicenceType
from shuzheng.trust.samples import SAMPLE_TYPES, load_sample_licences
from shuzheng.trust.validation import Verdict

pytestmark = pytest.mark.django_db


def test_sample_licences_are_marked_signed_and_load_once():
    load_sample_registry()
    assert load_sample_licences() == "4 licence types, 8 licences (示例)"
    types = LicenceType.objects.select_related("issuer", "seal")
    assert {t.code for t in types} == {entry["code"] for entry in SAMPLE_TYPES}
    for licence_type in types:
        assert licence_type.is_sample and licence_type.name.endswith("（示例）")
        assert licence_type.seal.unit == licence_type.issuer
    for licence in Licence.objects.select_related("record_signature__seal__certificate"):
        assert licences.number_is_well_formed(licence.number)
        assert services.verify(licence.record.encode(), licence.record_signature).verdict == (
            Verdict.TOTAL_PASSED
        )
        signed, envelope = sealed_pdf.detach_signature(bytes(licence.pdf))
        assert services.verify(signed, envelope).verdict == Verdict.TOTAL_PASSED
    assert load_sample_licences() == "0 licence types, 0 licences (示例)"
    assert Licence.objects.count() == 8


def test_without_the_registry_nothing_is_made():
    assert load_sample_licences() == "0 licence types, 0 licences (示例)"
