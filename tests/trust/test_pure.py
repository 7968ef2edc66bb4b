"""The certificate formats and the validation rules, without Django (trust.certificates,
trust.validation)."""

import base64
import datetime as dt
import json
import re
import string

import pytest

from shuzheng import crypto
from shuzheng.trust import certificates, validation
from shuzheng.trust.certificates import FormatError, Revocation
from shuzheng.trust.validation import Check, Evidence, Status, Verdict

UTC = dt.UTC
T0 = dt.datetime(2026, 1, 1, tzinfo=UTC)
SIGNED_AT = dt.datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
NOW = dt.datetime(2026, 7, 1, tzinfo=UTC)
PAYLOAD = "关于印发某某方案的通知".encode()


@pytest.fixture(scope="module")
def keys():
    return {name: crypto.sm2_generate_private_key() for name in ("root", "seal", "other")}


def root_document(keys, key="root", serial="R1"):
    return certificates.build_certificate(
        serial=serial,
        subject_name="平台根证书",
        subject_unit="",
        usage=certificates.USAGE_CA,
        public_key=crypto.sm2_public_key(keys[key]),
        not_before=T0,
        not_after=T0 + dt.timedelta(days=3650),
        issuer_serial=serial,
        issuer_name="平台根证书",
        issuer_private_key=keys[key],
    )


def seal_document(keys, *, signer="root", issuer_serial="R1", not_after=None, serial="S1"):
    return certificates.build_certificate(
        serial=serial,
        subject_name="宁夏回族自治区财政厅",
        subject_unit="finance",
        usage=certificates.USAGE_SEAL,
        public_key=crypto.sm2_public_key(keys["seal"]),
        not_before=T0,
        not_after=not_after or T0 + dt.timedelta(days=365),
        issuer_serial=issuer_serial,
        issuer_name="平台根证书",
        issuer_private_key=keys[signer],
    )


def signed(keys, *, payload=PAYLOAD, signed_at=SIGNED_AT, serial="S1", key="seal"):
    body = validation.signed_attributes_body(
        number="N1",
        payload=payload,
        certificate_serial=serial,
        seal_name="宁夏回族自治区财政厅",
        unit_name="宁夏回族自治区财政厅",
        signed_at=signed_at,
        subject_kind="notice",
        subject_ref="宁财发〔2026〕1号",
    )
    return certificates.sign_document(body, keys[key])


def evidence(keys, *, signature=None, certificate=None, payload=PAYLOAD, **extra):
    values = {
        "signature": signature if signature is not None else signed(keys),
        "certificate": certificate if certificate is not None else seal_document(keys),
        "payload": payload,
        "root": certificates.parse_certificate(root_document(keys)),
        "revocations": {},
        "now": NOW,
    }
    return Evidence(**(values | extra))


def statuses(report):
    return {item.check: (item.status, item.reason) for item in report.checks}


def test_canonical_json_sorts_keys_without_spaces_in_utf8():
    assert certificates.canonical_json({"b": 1, "a": "章"}) == '{"a":"章","b":1}'.encode()


def test_times_are_written_in_utc_to_the_second_and_read_back():
    moment = dt.datetime(2026, 6, 1, 17, 30, 5, 123, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    text = certificates.format_instant(moment)
    assert text == "2026-06-01T09:30:05Z"
    assert certificates.parse_instant(text) == moment.replace(microsecond=0)
    with pytest.raises(FormatError) as error:
        certificates.parse_instant("2026-06-01 09:30")
    assert error.value.code == "bad_time"


def test_a_certificate_round_trips_and_chains_to_its_root(keys):
    root = certificates.parse_certificate(certificates.serialise(root_document(keys)))
    seal = certificates.parse_certificate(certificates.serialise(seal_document(keys)))
    assert root.is_self_signed and not seal.is_self_signed
    assert seal.subject_name == "宁夏回族自治区财政厅" and seal.usage == "seal"
    assert seal.valid_at(SIGNED_AT) and not seal.valid_at(T0 + dt.timedelta(days=400))
    assert certificates.chain_problem(seal, root) is None


def test_a_forged_or_altered_certificate_does_not_chain(keys):
    root = certificates.parse_certificate(root_document(keys))
    forged = certificates.parse_certificate(seal_document(keys, signer="other"))
    assert certificates.chain_problem(forged, root) == "certificate_signature_invalid"
    altered = seal_document(keys)
    altered["body"]["not_after"] = "2099-01-01T00:00:00Z"
    assert (
        certificates.chain_problem(certificates.parse_certificate(altered), root)
        == "certificate_signature_invalid"
    )
    stranger = certificates.parse_certificate(seal_document(keys, issuer_serial="R9"))
    assert certificates.chain_problem(stranger, root) == "unknown_issuer"
    assert certificates.chain_problem(root, root) == "not_a_seal_certificate"
    assert certificates.chain_problem(forged, forged) == "root_not_ca"


def test_malformed_certificates_name_what_is_wrong(keys):
    document = seal_document(keys)
    for text, code in [
        ('{"body": {', "not_json"),
        (b"\xff\xfe", "not_json"),
        ("[]", "missing_fields"),
        (json.dumps({**document, "signature_algorithm": "RSA"}), "unknown_algorithm"),
    ]:
        with pytest.raises(FormatError) as error:
            certificates.parse_certificate(text)
        assert error.value.code == code
    del document["body"]["not_after"]
    with pytest.raises(FormatError) as error:
        certificates.parse_certificate(document)
    assert (error.value.code, error.value.detail) == ("missing_fields", "not_after")


def test_a_revocation_list_is_signed_by_the_root(keys):
    root = certificates.parse_certificate(root_document(keys))
    document = certificates.build_revocation_list(
        issuer_serial="R1",
        number=2,
        issued_at=NOW,
        revoked=[Revocation("S1", SIGNED_AT, "印章遗失")],
        issuer_private_key=keys["root"],
    )
    crl = certificates.parse_revocation_list(certificates.serialise(document))
    assert crl.number == 2 and crl.revoked["S1"].reason == "印章遗失"
    assert certificates.revocation_list_valid(crl, root)
    document["body"]["revoked"] = []
    assert not certificates.revocation_list_valid(
        certificates.parse_revocation_list(document), root
    )


def test_a_good_signature_passes_every_check(keys):
    report = validation.validate(evidence(keys))
    assert report.verdict == Verdict.TOTAL_PASSED
    assert all(item.status == Status.PASSED for item in report.checks)
    assert report.attributes.subject_ref == "宁财发〔2026〕1号"


def test_another_document_fails_the_document_check_only(keys):
    report = validation.validate(evidence(keys, payload=PAYLOAD + b"!"))
    assert report.verdict == Verdict.TOTAL_FAILED
    assert [item.check for item in report.failed()] == [Check.DOCUMENT]
    assert report.result(Check.DOCUMENT).reason == "digest_mismatch"


def test_without_the_document_only_the_signature_is_judged(keys):
    report = validation.validate(evidence(keys, payload=None))
    assert report.verdict == Verdict.TOTAL_PASSED
    assert statuses(report)[Check.DOCUMENT] == (Status.NOT_APPLICABLE, "no_document")


def test_a_changed_signed_attribute_breaks_the_signature(keys):
    signature = signed(keys)
    signature["body"]["signed_at"] = "2026-05-01T00:00:00Z"
    report = validation.validate(evidence(keys, signature=signature))
    assert statuses(report)[Check.SIGNATURE] == (Status.FAILED, "signature_invalid")


def test_a_forged_certificate_fails_the_chain(keys):
    report = validation.validate(evidence(keys, certificate=seal_document(keys, signer="other")))
    assert report.verdict == Verdict.TOTAL_FAILED
    assert statuses(report)[Check.CHAIN] == (Status.FAILED, "certificate_signature_invalid")
    assert statuses(report)[Check.SIGNATURE] == (Status.PASSED, "signature_valid")


def test_a_certificate_of_another_seal_is_a_mismatch(keys):
    report = validation.validate(evidence(keys, certificate=seal_document(keys, serial="S2")))
    assert statuses(report)[Check.SIGNATURE] == (Status.FAILED, "certificate_mismatch")


def test_signing_after_expiry_before_validity_or_in_the_future_fails(keys):
    expired = seal_document(keys, not_after=SIGNED_AT - dt.timedelta(days=1))
    report = validation.validate(evidence(keys, certificate=expired))
    assert statuses(report)[Check.VALIDITY] == (Status.FAILED, "expired_at_signing")
    early = signed(keys, signed_at=T0 - dt.timedelta(days=1))
    report = validation.validate(evidence(keys, signature=early))
    assert statuses(report)[Check.VALIDITY] == (Status.FAILED, "not_yet_valid")
    future = signed(keys, signed_at=NOW + dt.timedelta(hours=1))
    report = validation.validate(evidence(keys, signature=future))
    assert statuses(report)[Check.VALIDITY] == (Status.FAILED, "signed_in_future")


def test_revocation_before_signing_fails_and_after_it_depends_on_proof(keys):
    before = {"S1": Revocation("S1", SIGNED_AT - dt.timedelta(days=1), "印章遗失")}
    report = validation.validate(evidence(keys, revocations=before))
    assert report.verdict == Verdict.TOTAL_FAILED
    assert statuses(report)[Check.REVOCATION] == (Status.FAILED, "revoked_before_signing")
    after = {"S1": Revocation("S1", SIGNED_AT + dt.timedelta(days=1), "印章遗失")}
    report = validation.validate(evidence(keys, revocations=after, attested_signed_at=SIGNED_AT))
    assert report.verdict == Verdict.TOTAL_PASSED
    assert statuses(report)[Check.REVOCATION] == (Status.PASSED, "revoked_after_signing")
    report = validation.validate(evidence(keys, revocations=after))
    assert report.verdict == Verdict.INDETERMINATE
    assert statuses(report)[Check.REVOCATION] == (Status.INDETERMINATE, "revoked_time_unproven")


def test_an_envelope_round_trips_and_a_truncated_one_is_a_format_failure(keys):
    envelope = validation.build_envelope(signed(keys), seal_document(keys), PAYLOAD)
    text = json.dumps(envelope, ensure_ascii=False)
    signature, certificate, payload = validation.parse_envelope(text.encode())
    assert payload == PAYLOAD
    report = validation.validate(evidence(keys, signature=signature, certificate=certificate))
    assert report.verdict == Verdict.TOTAL_PASSED
    with pytest.raises(FormatError) as error:
        validation.parse_envelope(text.encode()[: len(text) // 2])
    report = validation.format_failure(error.value)
    assert report.verdict == Verdict.TOTAL_FAILED
    assert statuses(report)[Check.FORMAT] == (Status.FAILED, "not_json")
    assert {item.status for item in report.checks[1:]} == {Status.NOT_APPLICABLE}
    broken = {**envelope, "payload": "***"}
    with pytest.raises(FormatError) as error:
        validation.parse_envelope(json.dumps(broken))
    assert error.value.code == "bad_payload_encoding"


def test_a_signature_value_that_is_not_base64_is_a_format_failure(keys):
    signature = {**signed(keys), "signature": "not base64!"}
    report = validation.validate(evidence(keys, signature=signature))
    assert statuses(report)[Check.FORMAT] == (Status.FAILED, "bad_signature_encoding")
    missing = validation.validate(evidence(keys, signature={"body": {}, "x": 1}))
    assert statuses(missing)[Check.FORMAT][0] == Status.FAILED


def test_every_reason_is_worded_with_its_parameters_filled():
    params = {
        "detail": "x",
        "expected": "S1",
        "actual": "S2",
        "root": "R1",
        "issuer": "R9",
        "signed_at": SIGNED_AT,
        "not_before": T0,
        "not_after": NOW,
        "revoked_at": NOW,
        "reason": "遗失",
    }
    for code in validation.REASONS:
        text = validation.CheckResult(Check.FORMAT, Status.FAILED, code, params).describe(str)
        assert not re.search(r"[{}]", text), code
        assert text[0] in string.ascii_uppercase, code
    every_chain_code = {
        certificates.CHAIN_ROOT_NOT_CA,
        certificates.CHAIN_ROOT_SIGNATURE,
        certificates.CHAIN_UNKNOWN_ISSUER,
        certificates.CHAIN_SIGNATURE,
        certificates.CHAIN_NOT_A_SEAL,
    }
    assert every_chain_code <= validation.REASONS.keys()


def test_the_report_as_data_names_each_check_and_the_signer(keys):
    data = validation.validate(evidence(keys)).as_data()
    assert data["verdict"] == "TOTAL_PASSED"
    assert [item["check"] for item in data["checks"]] == [check.value for check in Check]
    assert data["signature"]["number"] == "N1"
    assert base64.b64decode(signed(keys)["signature"])  # DER (r, s), Base64
