"""The trust services: the root, seals, signing, revocation and verification (with the
database: keys sealed, every write audited, refusals change nothing)."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied

from shuzheng import clock, crypto
from shuzheng.audit.models import AuditEvent
from shuzheng.trust import certificates, services
from shuzheng.trust.choices import SealKind, SealStatus
from shuzheng.trust.models import CertificateAuthority, RevocationList, Seal, Signature
from shuzheng.trust.services import TrustError
from shuzheng.trust.validation import Check, Status, Verdict

PAYLOAD = "宁财发〔2026〕1号 关于做好年度预算的通知".encode()


def sign(seal, by, payload=PAYLOAD):
    return services.sign(
        seal, payload, by=by, subject_kind="notice", subject_ref="宁财发〔2026〕1号"
    )


def reasons(report):
    return {item.check: (item.status, item.reason) for item in report.checks}


def test_the_platform_root_is_made_once_with_its_seal_and_revocation_list(db):
    authority = services.ensure_platform_root()
    assert services.ensure_platform_root() == authority
    assert CertificateAuthority.objects.count() == 1
    root = certificates.parse_certificate(authority.certificate.text)
    assert root.is_self_signed and root.usage == "ca"
    assert certificates.document_signature_valid(root.document, root.public_key)
    platform = services.platform_seal()
    assert platform.kind == SealKind.PLATFORM and platform.unit is None
    crl = certificates.parse_revocation_list(services.revocation_list())
    assert crl.number == 1 and crl.revoked == {} and certificates.revocation_list_valid(crl, root)
    assert services.root_certificate() == root.document
    assert AuditEvent.objects.filter(action="trust.create_root").count() == 1


def test_private_keys_are_stored_sealed_under_the_key_encryption_key(seal, settings):
    assert "PRIVATE KEY" not in seal.sealed_private_key
    assert seal.sealed_private_key.startswith(crypto.GCM_PREFIX)
    authority = CertificateAuthority.objects.get()
    assert "PRIVATE KEY" not in authority.sealed_private_key
    settings.TRUST_KEK = "another key-encryption key"
    with pytest.raises(crypto.SealError):
        services.sign(seal, b"x", by=None, subject_kind="notice", subject_ref="x")


def test_a_new_seal_has_a_certificate_from_the_root_and_a_drawn_picture(seal, admin_user):
    certificate = certificates.parse_certificate(seal.certificate.text)
    root = certificates.parse_certificate(CertificateAuthority.objects.get().certificate.text)
    assert certificates.chain_problem(certificate, root) is None
    assert certificate.subject_unit == "finance" and seal.certificate.unit == seal.unit
    assert bytes(seal.image).startswith(b"\x89PNG")
    event = AuditEvent.objects.get(action="trust.create_seal", object_id=str(seal.pk))
    assert event.actor == admin_user and "PRIVATE" not in json.dumps(event.after)


def test_only_seal_administrators_create_seals_and_bad_input_is_named(units, head):
    with pytest.raises(PermissionDenied):
        services.create_seal(units["finance"], SealKind.OFFICIAL, "公章", by=head)
    for kind, name, image, field in [
        (SealKind.PLATFORM, "x", None, "kind"),
        (SealKind.BUSINESS, "  ", None, "name"),
        (SealKind.BUSINESS, "章" * 101, None, "name"),
        (SealKind.BUSINESS, "合同专用章", b"GIF89a not a png", "image"),
    ]:
        with pytest.raises(TrustError) as error:
            services.create_seal(units["finance"], kind, name, by=None, image=image)
        assert error.value.field == field
    assert not Seal.objects.exclude(kind=SealKind.PLATFORM).exists()


def test_an_uploaded_png_is_kept(units):
    from shuzheng.trust.images import draw_seal

    picture = draw_seal("宁夏回族自治区水利厅", "合同专用章")
    seal = services.create_seal(
        units["water"], SealKind.BUSINESS, "宁夏回族自治区水利厅合同专用章", by=None, image=picture
    )
    assert bytes(seal.image) == picture


def test_the_unit_head_signs_and_the_signature_verifies(seal, head):
    signature = sign(seal, head)
    assert signature.signer == head and signature.digest == crypto.sm3_hex(PAYLOAD)
    report = services.verify(PAYLOAD, signature)
    assert report.verdict == Verdict.TOTAL_PASSED, reasons(report)
    assert report.attributes.number == signature.number
    event = AuditEvent.objects.get(action="trust.sign")
    assert event.actor == head and event.after["digest"] == signature.digest


def test_signing_is_refused_without_the_units_sealing_right(seal, staff, water_head, admin_user):
    for user in (staff, water_head):
        with pytest.raises(PermissionDenied):
            sign(seal, user)
    with pytest.raises(PermissionDenied):
        sign(services.platform_seal(), water_head)
    assert sign(seal, admin_user).signer == admin_user
    assert Signature.objects.count() == 1


def test_a_signature_over_another_document_says_the_document_changed(seal, head):
    signature = sign(seal, head)
    report = services.verify(PAYLOAD + b" ", signature)
    assert report.verdict == Verdict.TOTAL_FAILED
    assert [item.check for item in report.failed()] == [Check.DOCUMENT]


def test_an_envelope_verifies_with_its_enclosed_payload_and_one_byte_changed_fails(seal, head):
    signature = sign(seal, head)
    envelope = services.envelope(signature, PAYLOAD)
    text = json.dumps(envelope, ensure_ascii=False).encode()
    assert services.verify(None, text).verdict == Verdict.TOTAL_PASSED
    assert services.verify(None, envelope).verdict == Verdict.TOTAL_PASSED
    envelope["payload"] = envelope["payload"][:-4] + "AAA="
    report = services.verify(None, envelope)
    assert reasons(report)[Check.DOCUMENT] == (Status.FAILED, "digest_mismatch")


def test_a_truncated_envelope_is_a_report_not_an_error(seal, head):
    text = json.dumps(services.envelope(sign(seal, head), PAYLOAD)).encode()
    for broken in (text[:100], b"", b"\x00\xff" * 10, b"[1, 2]"):
        report = services.verify(None, broken)
        assert report.verdict == Verdict.TOTAL_FAILED
        assert reasons(report)[Check.FORMAT] == (Status.FAILED, "not_json")


def test_a_forged_certificate_in_an_envelope_fails_the_chain(seal, head):
    envelope = services.envelope(sign(seal, head), PAYLOAD)
    # A forger's own "root" issues a certificate of the same serial for the seal's key.
    forger = crypto.sm2_generate_private_key()
    body = envelope["certificate"]["body"]
    envelope["certificate"] = certificates.sign_document(body, forger)
    report = services.verify(None, envelope)
    assert report.verdict == Verdict.TOTAL_FAILED
    assert reasons(report)[Check.CHAIN] == (Status.FAILED, "certificate_signature_invalid")


def test_an_expired_certificate_signs_nothing_and_a_backdated_signature_fails(units, head):
    with clock.frozen_at(dt.datetime(2020, 1, 1, tzinfo=dt.UTC)):
        seal = services.create_seal(
            units["finance"],
            SealKind.OFFICIAL,
            "宁夏回族自治区财政厅",
            by=None,
            valid_for=dt.timedelta(days=30),
        )
    with pytest.raises(TrustError, match="not valid now"):
        sign(seal, head)
    assert not Signature.objects.exists()
    # Made with the seal's key outside the service, dated after the certificate ended.
    from shuzheng.trust import validation

    body = validation.signed_attributes_body(
        number="FORGED",
        payload=PAYLOAD,
        certificate_serial=seal.certificate.serial,
        seal_name=seal.name,
        unit_name=seal.unit.name,
        signed_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC),
        subject_kind="notice",
        subject_ref="x",
    )
    key = services._private_key(seal.sealed_private_key)
    envelope = validation.build_envelope(
        certificates.sign_document(body, key), json.loads(seal.certificate.text), PAYLOAD
    )
    report = services.verify(None, envelope)
    assert reasons(report)[Check.VALIDITY] == (Status.FAILED, "expired_at_signing")


def test_revocation_publishes_a_list_and_old_signatures_were_valid_when_made(
    seal, head, admin_user
):
    old = sign(seal, head)
    old_envelope = services.envelope(old, PAYLOAD)
    later = clock.now() + dt.timedelta(minutes=5)
    with clock.frozen_at(later):
        services.revoke_seal(seal, "印章遗失", by=admin_user)
    seal.refresh_from_db()
    assert seal.status == SealStatus.REVOKED and seal.revocation_reason == "印章遗失"
    crl = certificates.parse_revocation_list(services.revocation_list())
    assert crl.number == 2 and set(crl.revoked) == {seal.certificate.serial}
    assert RevocationList.objects.count() == 2
    with pytest.raises(TrustError, match="revoked"):
        sign(seal, head)
    report = services.verify(PAYLOAD, old)
    assert report.verdict == Verdict.TOTAL_PASSED
    assert reasons(report)[Check.REVOCATION] == (Status.PASSED, "revoked_after_signing")
    assert services.verify(None, old_envelope).verdict == Verdict.TOTAL_PASSED
    # The same envelope with its signing record gone: nothing proves when it was made.
    Signature.objects.filter(pk=old.pk).delete()
    assert services.verify(None, old_envelope).verdict == Verdict.INDETERMINATE
    with pytest.raises(TrustError, match="already"):
        services.revoke_seal(seal, "再次", by=admin_user)


def test_a_signature_made_with_a_revoked_seals_key_fails(seal, admin_user):
    services.revoke_seal(seal, "密钥泄露", by=admin_user)
    seal.refresh_from_db()
    from shuzheng.trust import validation

    body = validation.signed_attributes_body(
        number="AFTER",
        payload=PAYLOAD,
        certificate_serial=seal.certificate.serial,
        seal_name=seal.name,
        unit_name=seal.unit.name,
        signed_at=clock.now() + dt.timedelta(minutes=1),
        subject_kind="notice",
        subject_ref="x",
    )
    key = services._private_key(seal.sealed_private_key)
    envelope = validation.build_envelope(
        certificates.sign_document(body, key), json.loads(seal.certificate.text), PAYLOAD
    )
    report = services.verify(None, envelope)
    assert report.verdict == Verdict.TOTAL_FAILED
    assert reasons(report)[Check.REVOCATION] == (Status.FAILED, "revoked_before_signing")


def test_revocation_needs_a_reason_and_the_right(seal, head):
    with pytest.raises(PermissionDenied):
        services.revoke_seal(seal, "x", by=head)
    with pytest.raises(TrustError) as error:
        services.revoke_seal(seal, " ", by=None)
    assert error.value.field == "reason"
    seal.refresh_from_db()
    assert seal.status == SealStatus.ACTIVE


def test_the_platform_seal_signs_for_the_system(db):
    signature = services.sign(
        services.platform_seal(), b"chain head", by=None, subject_kind="audit", subject_ref="1"
    )
    assert signature.signer_name == "system"
    assert services.verify(b"chain head", signature).verdict == Verdict.TOTAL_PASSED


def test_bad_subject_names_are_refused(seal, head):
    with pytest.raises(TrustError):
        services.sign(seal, PAYLOAD, by=head, subject_kind="", subject_ref="x")
    with pytest.raises(TrustError):
        services.sign(seal, PAYLOAD, by=head, subject_kind="notice", subject_ref="x" * 201)
    assert not Signature.objects.exists()
