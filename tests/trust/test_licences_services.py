"""Licence types, issuance (one, a batch, nothing half-issued), signatures over the record
and the PDF, status, holders (trust.licence_services)."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied

from shuzheng import clock, crypto
from shuzheng.accounts.choices import Role
from shuzheng.audit.models import AuditEvent
from shuzheng.trust import licence_services, licences, sealed_pdf, services
from shuzheng.trust.licence_models import Licence, LicenceType
from shuzheng.trust.models import Signature
from tests.pdfs import assert_fonts_embedded, pdf_text
from tests.trust.licence_fixtures import (
    CREDIT_CODE,
    IDENTITY,
    draft,
    head_of,
    make_type,
    make_unit,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return make_unit()


@pytest.fixture
def licence_type(unit):
    return make_type(unit)


def test_a_type_is_data_checked_and_audited(unit):
    licence_type = make_type(unit)
    assert [f.name for f in licence_type.fields] == ["business_name", "premises", "opened_on"]
    assert AuditEvent.objects.filter(action="trust.save_licence_type").count() == 1
    with pytest.raises(licence_services.LicenceError) as caught:
        licence_services.save_licence_type(
            by=None,
            unit=unit,
            code="spjy",
            name="",
            seal=None,
            face_fields=[{"name": "A"}],
            validity_kind="years",
            validity_years=0,
        )
    assert set(caught.value.errors) == {"code", "name", "seal", "face_fields", "validity"}
    assert LicenceType.objects.count() == 1


def test_a_unit_cannot_give_its_type_another_units_seal(unit, licence_type):
    other = make_unit("other-unit", "吴忠市市场监督管理局")
    with pytest.raises(licence_services.LicenceError) as caught:
        make_type(other, code="QSXK", seal=licence_type.seal)
    assert "seal" in caught.value.errors


def test_issuing_signs_the_canonical_record_and_the_pdf_bytes(licence_type):
    licence = licence_services.issue_licence(licence_type, draft(), by=None)
    assert licences.number_is_well_formed(licence.number)
    assert licence.number.startswith("SPJY-LICENCEUNIT-2026-000001-")
    assert licence.valid_until == dt.date(2031, 11, 30)
    assert licence.holder_masked == "913501********0Y43"
    assert CREDIT_CODE not in licence.record and CREDIT_CODE not in json.dumps(licence.face)
    record = json.loads(licence.record)
    assert record["holder"]["key"] == licence.holder_key
    assert licence.record.encode() == licences.canonical_bytes(record)
    assert licence.digest == crypto.sm3_hex(licence.record.encode())
    report = services.verify(licence.record.encode(), licence.record_signature)
    assert report.verdict == "TOTAL_PASSED"
    signed, envelope = sealed_pdf.detach_signature(bytes(licence.pdf))
    assert services.verify(signed, envelope).verdict == "TOTAL_PASSED"
    assert licence.pdf_signature.subject_ref == licence.number
    assert licence_services.stored_record_matches(licence)


def test_the_pdf_is_in_chinese_with_its_font_embedded(licence_type):
    from django.utils import translation

    with translation.override("zh-hans"):
        licence = licence_services.issue_licence(licence_type, draft(), by=None)
    content = bytes(licence.pdf)
    assert_fonts_embedded(content)
    text = pdf_text(content)
    for expected in (
        "食品经营许可证",
        licence.number,
        "宁夏清真餐饮有限公司",
        "913501********0Y43",
        "银川市市场监督管理局",
        "2026年12月1日",
    ):
        assert expected in text, expected
    assert CREDIT_CODE not in text


def test_serials_count_per_type_and_year(licence_type):
    first = licence_services.issue_licence(licence_type, draft(), by=None)
    later = draft()
    later.issued_on = dt.date(2027, 1, 5)
    with clock.frozen_at(dt.date(2027, 1, 6)):
        second = licence_services.issue_licence(licence_type, draft(), by=None)
        third = licence_services.issue_licence(licence_type, later, by=None)
    assert (first.year, first.serial) == (2026, 1)
    assert (second.year, second.serial) == (2026, 2)
    assert (third.year, third.serial) == (2027, 1)


def test_a_batch_with_one_bad_row_issues_nothing(licence_type):
    good = draft()
    bad = draft(code="91350100M000100Y44")
    bad.row = 7
    missing = draft(premises="")
    with pytest.raises(licence_services.BatchError) as caught:
        licence_services.issue_licences(licence_type, [good, bad, missing], by=None)
    assert set(caught.value.rows) == {7, 3}
    assert "holder_code" in caught.value.rows[7].errors
    assert "premises" in caught.value.rows[3].errors
    assert Licence.objects.count() == 0 and Signature.objects.count() == 0


def test_a_face_value_of_the_wrong_kind_is_refused_by_its_label(licence_type):
    with pytest.raises(licence_services.LicenceError) as caught:
        licence_services.issue_licence(licence_type, draft(opened_on="明天"), by=None)
    assert caught.value.errors["opened_on"] == [
        "开业日期: “明天” is not a date (write 2026-12-02)."
    ]


def test_only_the_issuing_units_head_issues(unit, licence_type):
    staff = make_user("staff", Role.UNIT_STAFF, unit)
    other_head = head_of(make_unit("third-unit", "石嘴山市市场监督管理局"))
    for user in (staff, other_head):
        with pytest.raises(PermissionDenied):
            licence_services.issue_licence(licence_type, draft(), by=user)
    licence = licence_services.issue_licence(licence_type, draft(), by=head_of(unit))
    assert licence.issued_by.username == "head-licence-unit"
    assert licence.record_signature.signer_name == "head-licence-unit"


def test_a_revoked_seal_issues_nothing_and_says_why(licence_type):
    services.revoke_seal(licence_type.seal, "印章遗失", by=None)
    licence_type.refresh_from_db()
    with pytest.raises(licence_services.LicenceError):
        licence_services.issue_licence(licence_type, draft(), by=None)
    assert Licence.objects.count() == 0


def test_status_changes_follow_the_rules_and_expiry_comes_from_the_clock(licence_type):
    licence = licence_services.issue_licence(licence_type, draft(), by=None)
    assert licence.status_today == "valid"
    with clock.frozen_at(dt.date(2031, 12, 1)):
        assert licence.status_today == "expired"
    licence_services.change_status(licence, "suspended", "停业整顿", by=None)
    assert licence.status_today == "suspended" and licence.status_reason == "停业整顿"
    with pytest.raises(licence_services.LicenceError):
        licence_services.change_status(licence, "revoked", "", by=None)
    licence_services.change_status(licence, "revoked", "吊销", by=None)
    with pytest.raises(licence_services.LicenceError):
        licence_services.change_status(licence, "valid", "", by=None)
    assert AuditEvent.objects.filter(action="trust.change_licence_status").count() == 2


def test_a_bound_holder_finds_their_licences_and_no_one_elses(unit, licence_type):
    citizen = make_user("citizen", Role.CITIZEN)
    mine = licence_services.issue_licence(
        licence_type, draft("张三", IDENTITY, "identity_card"), by=None
    )
    licence_services.issue_licence(licence_type, draft(), by=None)
    assert list(licence_services.licences_of(citizen)) == []
    identity = licence_services.bind_holder(citizen, "identity_card", IDENTITY.lower(), by=None)
    assert identity.masked == "110105********002X"
    assert list(licence_services.licences_of(citizen)) == [mine]
    other = make_user("other", Role.CITIZEN)
    with pytest.raises(licence_services.LicenceError):
        licence_services.bind_holder(other, "identity_card", IDENTITY, by=None)
    with pytest.raises(PermissionDenied):
        licence_services.bind_holder(other, "identity_card", IDENTITY, by=other)


def test_an_edit_of_a_column_in_the_database_is_found(licence_type):
    licence = licence_services.issue_licence(licence_type, draft(), by=None)
    Licence.objects.filter(pk=licence.pk).update(holder_name="另一家公司")
    licence.refresh_from_db()
    assert not licence_services.stored_record_matches(licence)
