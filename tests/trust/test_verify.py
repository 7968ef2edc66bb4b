"""The public verification page (/trust/verify/) and the CA's downloads: every input kind
answers a report or a clear message, bad input is never "valid" and never a 500."""

import datetime as dt
import json
import os

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from shuzheng import clock
from shuzheng.trust import licence_services, services, verify_inputs
from shuzheng.trust.choices import SealKind
from shuzheng.trust.licence_pdf import verification_url
from shuzheng.trust.licences import short_digest
from shuzheng.trust.verification import (
    Outcome,
    Submission,
    register_verify_input,
    registered_kinds,
    verify_submission,
)
from tests.trust.licence_fixtures import draft, make_type, make_unit

URL = "/trust/verify/"
pytestmark = pytest.mark.chinese_ui


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def licence(db):
    unit = make_unit()
    return licence_services.issue_licence(make_type(unit), draft(), by=None)


def _upload(client, data: bytes, name="file.pdf"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def _verdict(response) -> str:
    return response.context["outcome"]["verdict"]


def _reasons(response) -> set[str]:
    return {
        check["reason"]
        for report in response.context["outcome"]["reports"]
        for check in report["checks"]
    }


def test_the_page_answers_anonymous_visitors(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "验章验签" in response.content.decode()


def test_the_licence_pdf_verifies_valid(client, licence):
    response = _upload(client, bytes(licence.pdf))
    assert response.status_code == 200
    assert _verdict(response) == "TOTAL_PASSED"
    text = response.content.decode()
    assert "有效" in text
    assert licence.holder_name in text
    assert "digest_matches" in _reasons(response)


def test_one_changed_byte_fails_with_the_reason(client, licence):
    data = bytearray(licence.pdf)
    data[200] ^= 0x01
    response = _upload(client, bytes(data))
    assert _verdict(response) == "TOTAL_FAILED"
    assert "digest_mismatch" in _reasons(response)
    assert "无效" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"%PDF-1.4 truncated",
        os.urandom(2048),
        b"{not json",
        b"{}",
        "随便什么文字".encode(),
    ],
)
def test_bad_files_are_never_valid(client, data, licence):
    response = _upload(client, data) if data else client.post(URL, {"number": ""})
    assert response.status_code in (200, 400)
    if response.context["outcome"] is not None:
        assert _verdict(response) != "TOTAL_PASSED"


def test_a_truncated_licence_pdf_is_invalid(client, licence):
    data = bytes(licence.pdf)
    response = _upload(client, data[: len(data) - 40])
    assert _verdict(response) == "TOTAL_FAILED"


def test_a_signature_over_another_document_fails(client, licence):
    """The envelope of the licence PDF's signature attached to another PDF."""
    other = licence_services.issue_licence(licence.licence_type, draft("另一家公司"), by=None)
    from shuzheng.trust import sealed_pdf

    signed, _envelope = sealed_pdf.detach_signature(bytes(other.pdf))
    _signed, envelope = sealed_pdf.detach_signature(bytes(licence.pdf))
    forged = sealed_pdf.attach_signature(signed, envelope)
    response = _upload(client, forged)
    assert _verdict(response) == "TOTAL_FAILED"
    assert "digest_mismatch" in _reasons(response)


def test_a_file_over_10_mb_gets_a_message(client, db):
    response = _upload(client, b"%PDF-" + b"0" * (10 * 1024 * 1024))
    assert response.status_code == 400
    assert "10 MB" in response.content.decode() or "10 MB" in str(response.context["form"].errors)


def test_the_qr_code_link_answers_with_the_report(client, licence):
    url = verification_url(licence.number, short_digest(licence.digest))
    path = url[url.index(URL) :]
    response = client.get(path)
    assert response.status_code == 200
    assert _verdict(response) == "TOTAL_PASSED"
    assert licence.holder_name in response.content.decode()


def test_a_forged_qr_code_is_invalid(client, licence):
    response = client.get(URL, {"licence": licence.number, "digest": "0" * 16})
    assert _verdict(response) == "TOTAL_FAILED"
    assert licence.holder_name not in response.content.decode()


def test_a_number_alone_shows_no_holder(client, licence):
    response = client.post(URL, {"number": licence.number})
    assert _verdict(response) == "TOTAL_PASSED"
    assert licence.holder_name not in response.content.decode()


def test_an_unknown_number_is_invalid(client, db):
    response = client.post(URL, {"number": "SPJY-0-2026-000001-K"})
    assert _verdict(response) == "TOTAL_FAILED"
    response = client.post(URL, {"number": "0123456789ABCDEF0123"})
    assert _verdict(response) == "TOTAL_FAILED"


def test_a_revoked_licence_is_invalid(client, licence):
    licence_services.change_status(licence, "revoked", "吊销测试", by=None)
    response = client.post(URL, {"number": licence.number})
    assert _verdict(response) == "TOTAL_FAILED"
    assert "吊销测试" in response.content.decode()


def test_a_signature_number_and_an_envelope(client, licence):
    signature = licence.record_signature
    response = client.post(URL, {"number": signature.number})
    assert _verdict(response) == "TOTAL_PASSED"
    envelope = services.envelope(signature, licence.record.encode("utf-8"))
    response = _upload(client, json.dumps(envelope).encode(), "licence.json")
    assert _verdict(response) == "TOTAL_PASSED"
    assert response.context["outcome"]["kind"] == "licence"
    envelope["payload"] = envelope["payload"][:-4] + "AAA="
    response = _upload(client, json.dumps(envelope).encode(), "licence.json")
    assert _verdict(response) == "TOTAL_FAILED"


def test_revoked_after_signing_and_a_new_signature_refused(client, db, admin_user_unit):
    unit, admin = admin_user_unit
    seal = services.create_seal(unit, SealKind.OFFICIAL, unit.name, by=admin)
    pdf_bytes = b"%PDF-1.4 test document"
    old = services.sign(seal, pdf_bytes, by=None, subject_kind="test", subject_ref="t-1")
    with clock.frozen_at(clock.now() + dt.timedelta(minutes=5)):
        services.revoke_seal(seal, "印章遗失", by=admin)
        response = client.post(URL, {"number": old.number})
    reasons = _reasons(response)
    assert "revoked_after_signing" in reasons
    assert "晚于签章时间" in response.content.decode()
    later = clock.now() + dt.timedelta(minutes=6)
    with pytest.raises(services.TrustError), clock.frozen_at(later):
        services.sign(seal, pdf_bytes, by=None, subject_kind="test", subject_ref="t-2")


@pytest.fixture
def admin_user_unit(db):
    from tests.trust.licence_fixtures import make_user

    return make_unit(code="seal-unit", name="宁夏回族自治区水利厅"), make_user("a", "administrator")


def test_the_page_is_throttled(client, db, monkeypatch):
    monkeypatch.setattr(verify_inputs, "VERIFY_PER_MINUTE", 2)
    for _ in range(2):
        assert client.post(URL, {"number": "x"}).status_code == 200
    assert client.post(URL, {"number": "x"}).status_code == 429


def test_root_and_crl_are_public_and_cacheable(client, db):
    for path in ("/trust/root.json", "/trust/crl.json"):
        response = client.get(path)
        assert response.status_code == 200
        assert "public" in response["Cache-Control"]
        json.loads(response.content)
    assert json.loads(client.get("/trust/root.json").content) == services.root_certificate()


def test_input_kinds_are_registrable(db):
    assert {"licence_pdf", "sealed_pdf", "licence_number", "envelope"} <= set(registered_kinds())
    register_verify_input(
        "test_kind",
        lambda submission: submission.number == "TEST-KIND",
        lambda submission: Outcome("test_kind", "测试"),
    )
    try:
        outcome = verify_submission(Submission(number="TEST-KIND"))
        assert outcome.kind == "test_kind"
        assert outcome.verdict.value == "TOTAL_FAILED"  # no report: never valid
    finally:
        from shuzheng.trust import verification

        verification._INPUTS[:] = [e for e in verification._INPUTS if e.kind != "test_kind"]
