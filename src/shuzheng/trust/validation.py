"""Validating a signature: a report of named checks and one verdict, in the style of the EU's
DSS (Digital Signature Service, ETSI EN 319 102-1: a validation report per signature, each
check with its conclusion, the verdict TOTAL_PASSED, TOTAL_FAILED or INDETERMINATE) and of
GB/T 38540-2020 (安全电子签章密码技术规范, 7.2 验证流程: the signature, the certificate's
chain, validity and revocation status, and the signed data's digest).

Pure: the services gather the evidence (the signature, the certificate, the platform's root
and revocation list, the record of the signing time) and this module judges it. Checks keep
reason *codes* with parameters; :meth:`ValidationReport.describe` words them in the reader's
language at display (nothing stored rendered).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from shuzheng import crypto
from shuzheng.text.translation import gettext_noop
from shuzheng.trust import certificates
from shuzheng.trust.certificates import Certificate, FormatError, Revocation

SIGNATURE_FORMAT = "shuzheng-signature/1"
ENVELOPE_FORMAT = "shuzheng-signed-envelope/1"
DIGEST_ALGORITHM = "SM3"
SIGNED_ATTRIBUTES = frozenset(
    {
        "format",
        "number",
        "digest_algorithm",
        "digest",
        "certificate_serial",
        "seal_name",
        "unit_name",
        "signed_at",
        "subject_kind",
        "subject_ref",
    }
)
#: A signing time later than the verifier's clock by more than this is not believed.
CLOCK_SKEW = datetime.timedelta(minutes=5)


class Check(StrEnum):
    FORMAT = "format"
    SIGNATURE = "signature"
    CHAIN = "chain"
    VALIDITY = "validity"
    REVOCATION = "revocation"
    DOCUMENT = "document"


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    INDETERMINATE = "indeterminate"
    NOT_APPLICABLE = "not_applicable"


class Verdict(StrEnum):
    TOTAL_PASSED = "TOTAL_PASSED"
    TOTAL_FAILED = "TOTAL_FAILED"
    INDETERMINATE = "INDETERMINATE"


CHECK_NAMES = {
    Check.FORMAT: gettext_noop("Format of the signature and certificate"),
    Check.SIGNATURE: gettext_noop("Signature valid"),
    Check.CHAIN: gettext_noop("Certificate chain to the platform root"),
    Check.VALIDITY: gettext_noop("Certificate valid at signing time"),
    Check.REVOCATION: gettext_noop("Not revoked at signing time"),
    Check.DOCUMENT: gettext_noop("Document unchanged since signing"),
}
STATUS_NAMES = {
    Status.PASSED: gettext_noop("Passed"),
    Status.FAILED: gettext_noop("Failed"),
    Status.INDETERMINATE: gettext_noop("Indeterminate"),
    Status.NOT_APPLICABLE: gettext_noop("Not applicable"),
}
VERDICT_NAMES = {
    Verdict.TOTAL_PASSED: gettext_noop("Valid: every check passed"),
    Verdict.TOTAL_FAILED: gettext_noop("Invalid: a check failed"),
    Verdict.INDETERMINATE: gettext_noop("Indeterminate: the evidence does not settle it"),
}
#: Every reason code a check can give, with its sentence (parameters in braces).
REASONS = {
    "well_formed": gettext_noop("The signature and its certificate are well formed."),
    "not_json": gettext_noop("The file is not JSON text (truncated or another kind of file)."),
    "missing_fields": gettext_noop("Required fields are missing or malformed: {detail}."),
    "unknown_format": gettext_noop("The format {detail} is not one this platform issues."),
    "unknown_algorithm": gettext_noop("The signature algorithm {detail} is not SM2 with SM3."),
    "unknown_usage": gettext_noop("The certificate's use {detail} is unknown."),
    "bad_time": gettext_noop("A time is not written as the format requires: {detail}."),
    "bad_signature_encoding": gettext_noop("The signature value is not Base64 text."),
    "bad_payload_encoding": gettext_noop("The enclosed document is not Base64 text."),
    "no_certificate": gettext_noop("No certificate comes with the signature."),
    "format_failed": gettext_noop("Not checked: the signature could not be read."),
    "signature_valid": gettext_noop("The SM2 signature matches the certificate's public key."),
    "signature_invalid": gettext_noop(
        "The SM2 signature does not match the certificate's public key: the signed data or "
        "the signature was changed, or another key signed it."
    ),
    "certificate_mismatch": gettext_noop(
        "The signature names certificate {expected}, but certificate {actual} came with it."
    ),
    "chained": gettext_noop("Issued by the platform root {root}."),
    "root_not_ca": gettext_noop("The platform root certificate is not a self-signed CA."),
    "root_signature_invalid": gettext_noop("The platform root certificate's signature is invalid."),
    "unknown_issuer": gettext_noop(
        "The certificate names issuer {issuer}, which is not the platform root {root}."
    ),
    "certificate_signature_invalid": gettext_noop(
        "The certificate was not signed by the platform root: it is forged or altered."
    ),
    "not_a_seal_certificate": gettext_noop("The certificate is not a seal's certificate."),
    "valid_at_signing": gettext_noop("Signed on {signed_at}, within {not_before} to {not_after}."),
    "not_yet_valid": gettext_noop(
        "Signed on {signed_at}, before the certificate became valid on {not_before}."
    ),
    "expired_at_signing": gettext_noop(
        "Signed on {signed_at}, after the certificate expired on {not_after}."
    ),
    "signed_in_future": gettext_noop("The signing time {signed_at} is later than now."),
    "not_revoked": gettext_noop("The seal's certificate is not on the revocation list."),
    "revoked_before_signing": gettext_noop(
        "The seal was revoked on {revoked_at} ({reason}), before it signed on {signed_at}."
    ),
    "revoked_after_signing": gettext_noop(
        "The seal was revoked on {revoked_at} ({reason}), after it signed on {signed_at}: "
        "the signature was valid when made."
    ),
    "revoked_time_unproven": gettext_noop(
        "The seal was revoked on {revoked_at} ({reason}); the platform holds no record that "
        "the signature was made before that."
    ),
    "digest_matches": gettext_noop("The document's SM3 digest equals the signed digest."),
    "digest_mismatch": gettext_noop(
        "The document's SM3 digest differs from the signed digest: it is another document or "
        "it was changed after signing."
    ),
    "no_document": gettext_noop("No document was given: only the signature was checked."),
    # A sealed PDF that cannot be read (trust.sealed_pdf's codes).
    "not_pdf": gettext_noop("The file is not a PDF (truncated or another kind of file)."),
    "not_sealed": gettext_noop("The PDF carries no signature of this platform."),
    "envelope_malformed": gettext_noop("The signature inside the PDF is damaged."),
    "appended_after_sealing": gettext_noop(
        "Data was added to the PDF after it was sealed, or its end was cut off."
    ),
}


@dataclass(frozen=True)
class CheckResult:
    check: Check
    status: Status
    reason: str
    params: dict = field(default_factory=dict)

    def describe(self, translate: Callable[[str], str], show_time=str) -> str:
        """The reason's sentence in ``translate``'s language, times shown by ``show_time``."""
        params = {
            key: show_time(value) if isinstance(value, datetime.datetime) else value
            for key, value in self.params.items()
        }
        return translate(REASONS[self.reason]).format(**params)


@dataclass(frozen=True)
class SignedAttributes:
    """What a signature signed: the digest of the data and the facts around it."""

    number: str
    digest: str
    certificate_serial: str
    seal_name: str
    unit_name: str
    signed_at: datetime.datetime
    subject_kind: str
    subject_ref: str


@dataclass(frozen=True)
class ValidationReport:
    verdict: Verdict
    checks: tuple[CheckResult, ...]
    attributes: SignedAttributes | None = None
    certificate: Certificate | None = None

    def result(self, check: Check) -> CheckResult:
        return next(item for item in self.checks if item.check == check)

    def failed(self) -> list[CheckResult]:
        return [item for item in self.checks if item.status == Status.FAILED]

    def as_data(self, translate: Callable[[str], str] = str, show_time=str) -> dict:
        """The report as the API returns it: codes and the words in the reader's language."""
        attributes = self.attributes
        return {
            "verdict": self.verdict.value,
            "verdict_text": translate(VERDICT_NAMES[self.verdict]),
            "checks": [
                {
                    "check": item.check.value,
                    "name": translate(CHECK_NAMES[item.check]),
                    "status": item.status.value,
                    "status_text": translate(STATUS_NAMES[item.status]),
                    "reason": item.reason,
                    "message": item.describe(translate, show_time),
                }
                for item in self.checks
            ],
            "signature": None
            if attributes is None
            else {
                "number": attributes.number,
                "seal_name": attributes.seal_name,
                "unit_name": attributes.unit_name,
                "certificate_serial": attributes.certificate_serial,
                "signed_at": show_time(attributes.signed_at),
                "subject_kind": attributes.subject_kind,
                "subject_ref": attributes.subject_ref,
            },
        }


@dataclass(frozen=True)
class Evidence:
    """What a verifier holds. ``signature`` is the signed attributes' signed document;
    ``attested_signed_at`` the signing time as the platform recorded it (its proof that the
    signature existed then, DSS's POE), None for a signature it has no record of."""

    signature: dict | str | bytes | None
    certificate: dict | str | bytes | None
    payload: bytes | None
    root: Certificate
    revocations: dict[str, Revocation]
    now: datetime.datetime
    attested_signed_at: datetime.datetime | None = None


def signed_attributes_body(
    *,
    number: str,
    payload: bytes,
    certificate_serial: str,
    seal_name: str,
    unit_name: str,
    signed_at: datetime.datetime,
    subject_kind: str,
    subject_ref: str,
) -> dict:
    """The body a seal signs (GB/T 38540's 签名原文 with its 签章属性): SM3 of the payload,
    the certificate, the seal, the time and what was signed."""
    return {
        "format": SIGNATURE_FORMAT,
        "number": number,
        "digest_algorithm": DIGEST_ALGORITHM,
        "digest": crypto.sm3_hex(payload),
        "certificate_serial": certificate_serial,
        "seal_name": seal_name,
        "unit_name": unit_name,
        "signed_at": certificates.format_instant(signed_at),
        "subject_kind": subject_kind,
        "subject_ref": subject_ref,
    }


def parse_signed_attributes(document) -> tuple[dict, SignedAttributes]:
    """The signed document and its attributes; FormatError naming what is wrong."""
    document = certificates.load_document(document)
    body = document["body"]
    missing = sorted(SIGNED_ATTRIBUTES - body.keys())
    if missing:
        raise FormatError("missing_fields", ", ".join(missing))
    if body["format"] != SIGNATURE_FORMAT:
        raise FormatError("unknown_format", str(body["format"])[:40])
    if body["digest_algorithm"] != DIGEST_ALGORITHM:
        raise FormatError("unknown_algorithm", str(body["digest_algorithm"])[:40])
    certificates.require_text(body, SIGNED_ATTRIBUTES - {"format", "digest_algorithm"})
    try:
        base64.b64decode(document["signature"], validate=True)
    except (binascii.Error, ValueError):
        raise FormatError("bad_signature_encoding") from None
    attributes = SignedAttributes(
        number=body["number"],
        digest=body["digest"],
        certificate_serial=body["certificate_serial"],
        seal_name=body["seal_name"],
        unit_name=body["unit_name"],
        signed_at=certificates.parse_instant(body["signed_at"]),
        subject_kind=body["subject_kind"],
        subject_ref=body["subject_ref"],
    )
    return document, attributes


def validate(evidence: Evidence) -> ValidationReport:
    """Run every check on ``evidence`` and give the verdict (see the module docstring)."""
    try:
        if evidence.certificate is None:
            raise FormatError("no_certificate")
        document, attributes = parse_signed_attributes(evidence.signature)
        certificate = certificates.parse_certificate(evidence.certificate)
    except FormatError as error:
        return format_failure(error)
    signed_at = attributes.signed_at
    checks = (
        CheckResult(Check.FORMAT, Status.PASSED, "well_formed"),
        _signature(document, attributes, certificate),
        _chain(certificate, evidence.root),
        _validity(certificate, signed_at, evidence.now),
        _revocation(certificate, signed_at, evidence),
        _document(attributes, evidence.payload),
    )
    return ValidationReport(_verdict(checks), checks, attributes, certificate)


def format_failure(error: FormatError) -> ValidationReport:
    """The report of a signature that cannot be read: the format check failed with the
    error's code, nothing else could be checked."""
    failed = CheckResult(Check.FORMAT, Status.FAILED, error.code, {"detail": error.detail})
    rest = (
        CheckResult(check, Status.NOT_APPLICABLE, "format_failed")
        for check in Check
        if check != Check.FORMAT
    )
    return ValidationReport(Verdict.TOTAL_FAILED, (failed, *rest))


def _verdict(checks) -> Verdict:
    statuses = {item.status for item in checks}
    if Status.FAILED in statuses:
        return Verdict.TOTAL_FAILED
    if Status.INDETERMINATE in statuses:
        return Verdict.INDETERMINATE
    return Verdict.TOTAL_PASSED


def _signature(document, attributes: SignedAttributes, certificate: Certificate) -> CheckResult:
    if attributes.certificate_serial != certificate.serial:
        params = {"expected": attributes.certificate_serial, "actual": certificate.serial}
        return CheckResult(Check.SIGNATURE, Status.FAILED, "certificate_mismatch", params)
    if certificates.document_signature_valid(document, certificate.public_key):
        return CheckResult(Check.SIGNATURE, Status.PASSED, "signature_valid")
    return CheckResult(Check.SIGNATURE, Status.FAILED, "signature_invalid")


def _chain(certificate: Certificate, root: Certificate) -> CheckResult:
    problem = certificates.chain_problem(certificate, root)
    params = {"root": root.serial, "issuer": certificate.issuer_serial}
    if problem is None:
        return CheckResult(Check.CHAIN, Status.PASSED, "chained", params)
    return CheckResult(Check.CHAIN, Status.FAILED, problem, params)


def _validity(certificate: Certificate, signed_at, now) -> CheckResult:
    params = {
        "signed_at": signed_at,
        "not_before": certificate.not_before,
        "not_after": certificate.not_after,
    }
    if signed_at > now + CLOCK_SKEW:
        return CheckResult(Check.VALIDITY, Status.FAILED, "signed_in_future", params)
    if signed_at < certificate.not_before:
        return CheckResult(Check.VALIDITY, Status.FAILED, "not_yet_valid", params)
    if signed_at > certificate.not_after:
        return CheckResult(Check.VALIDITY, Status.FAILED, "expired_at_signing", params)
    return CheckResult(Check.VALIDITY, Status.PASSED, "valid_at_signing", params)


def _revocation(certificate: Certificate, signed_at, evidence: Evidence) -> CheckResult:
    revocation = evidence.revocations.get(certificate.serial)
    if revocation is None:
        return CheckResult(Check.REVOCATION, Status.PASSED, "not_revoked")
    params = {
        "revoked_at": revocation.revoked_at,
        "reason": revocation.reason,
        "signed_at": signed_at,
    }
    if revocation.revoked_at <= signed_at:
        return CheckResult(Check.REVOCATION, Status.FAILED, "revoked_before_signing", params)
    # Revoked later: the signature stands only if the platform can show it was made before
    # (its own record of the signing); a claimed time alone could be backdated with a
    # stolen key (DSS: REVOKED_NO_POE).
    attested = evidence.attested_signed_at
    if attested is not None and attested < revocation.revoked_at:
        return CheckResult(Check.REVOCATION, Status.PASSED, "revoked_after_signing", params)
    return CheckResult(Check.REVOCATION, Status.INDETERMINATE, "revoked_time_unproven", params)


def _document(attributes: SignedAttributes, payload: bytes | None) -> CheckResult:
    if payload is None:
        return CheckResult(Check.DOCUMENT, Status.NOT_APPLICABLE, "no_document")
    if crypto.digests_match(attributes.digest, crypto.sm3_hex(payload)):
        return CheckResult(Check.DOCUMENT, Status.PASSED, "digest_matches")
    return CheckResult(Check.DOCUMENT, Status.FAILED, "digest_mismatch")


def parse_envelope(text) -> tuple[dict | None, dict | None, bytes | None]:
    """The signature, certificate and enclosed payload of a signed JSON envelope (the file
    the platform hands out, docs/trust.md); FormatError when it is not one."""
    envelope = _json_object(text)
    if envelope.get("format") != ENVELOPE_FORMAT:
        raise FormatError("unknown_format", str(envelope.get("format"))[:40])
    payload = envelope.get("payload")
    if payload is not None:
        try:
            payload = base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError, TypeError):
            raise FormatError("bad_payload_encoding") from None
    return envelope.get("signature"), envelope.get("certificate"), payload


def build_envelope(signature: dict, certificate: dict, payload: bytes | None) -> dict:
    """The envelope :func:`parse_envelope` reads; the payload enclosed when given."""
    envelope = {"format": ENVELOPE_FORMAT, "signature": signature, "certificate": certificate}
    if payload is not None:
        envelope["payload"] = base64.b64encode(payload).decode("ascii")
    return envelope


def _json_object(text) -> dict:
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise FormatError("not_json") from None
    try:
        data = json.loads(text)
    except (ValueError, TypeError):
        raise FormatError("not_json") from None
    if not isinstance(data, dict):
        raise FormatError("not_json")
    return data
