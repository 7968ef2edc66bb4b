"""The platform's certificates and revocation lists as signed JSON documents (issue 10, item 1).

Why not X.509: GB/T 20518-2018 (信息安全技术 公钥基础设施 数字证书格式) profiles X.509 v3
certificates with SM2 keys and SM3-with-SM2 signatures, and that is what a certificate here
would be if the crypto library could build one. tongsuopy (``shuzheng.crypto``) signs and
verifies with SM2 but has no X.509 builder for SM2 keys, and a second library only for that
would be a second crypto wrapper. So a certificate is a JSON document (docs/trust.md, "Formats")
carrying the same facts a GB/T 20518 certificate carries: serial, issuer, subject, validity,
the subject's public key, its use, and the issuer's SM2 signature.

A signed document is ``{"body": {...}, "signature_algorithm": "SM2-with-SM3", "signature":
base64(DER r, s)}``; the signature is SM2 (GB/T 32918, default user id) over
:func:`canonical_json` of ``body``: keys sorted, no spaces, UTF-8 (not ASCII escapes). No
Django here: the rules are the same for the services, the verifier and the tests.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from dataclasses import dataclass

from shuzheng import crypto

CERTIFICATE_FORMAT = "shuzheng-certificate/1"
REVOCATION_LIST_FORMAT = "shuzheng-crl/1"
SIGNATURE_ALGORITHM = "SM2-with-SM3"
USAGE_CA = "ca"
USAGE_SEAL = "seal"
USAGES = (USAGE_CA, USAGE_SEAL)
CERTIFICATE_FIELDS = frozenset(
    {
        "format",
        "serial",
        "issuer_serial",
        "issuer_name",
        "subject_name",
        "subject_unit",
        "usage",
        "public_key",
        "not_before",
        "not_after",
    }
)
REVOCATION_LIST_FIELDS = frozenset({"format", "issuer_serial", "number", "issued_at", "revoked"})


class FormatError(ValueError):
    """A document that is not a well-formed certificate, revocation list or envelope;
    ``code`` names what is wrong (a reason code of ``trust.validation``)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def canonical_json(data) -> bytes:
    """The one serialisation that is signed: sorted keys, compact separators, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def format_instant(moment: datetime.datetime) -> str:
    """An aware time as ISO 8601 in UTC with a ``Z``, to the second (as signed)."""
    if moment.tzinfo is None:
        raise ValueError("certificate times are aware")
    utc = moment.astimezone(datetime.UTC).replace(microsecond=0)
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_instant(text) -> datetime.datetime:
    """The time :func:`format_instant` wrote; FormatError("bad_time") for anything else."""
    if not isinstance(text, str) or not text.endswith("Z"):
        raise FormatError("bad_time", str(text)[:40])
    try:
        return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.UTC)
    except ValueError:
        raise FormatError("bad_time", text[:40]) from None


def sign_document(body: dict, private_pem: bytes) -> dict:
    """``body`` signed by ``private_pem``: the signed document every format here uses."""
    signature = crypto.sm2_sign(private_pem, canonical_json(body))
    return {
        "body": body,
        "signature_algorithm": SIGNATURE_ALGORITHM,
        "signature": base64.b64encode(signature).decode("ascii"),
    }


#: The private key the forked signing processes of :func:`sign_documents` sign with: set in
#: the parent just before the fork, so it is copied with the process and never pickled.
_batch_key: bytes = b""


def _sign_body(body: dict) -> dict:
    return sign_document(body, _batch_key)


def sign_documents(bodies: list[dict], private_pem: bytes, *, workers: int = 1) -> list[dict]:
    """:func:`sign_document` of every body, in ``workers`` forked processes when more than
    one (SM2 signing is most of a bulk issuance's time; each process takes a chunk)."""
    if workers <= 1 or len(bodies) < 2 * workers:
        return [sign_document(body, private_pem) for body in bodies]
    import multiprocessing

    global _batch_key
    _batch_key = private_pem
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            chunk = max(1, min(500, len(bodies) // (workers * 4)))
            return pool.map(_sign_body, bodies, chunksize=chunk)
    finally:
        _batch_key = b""


def document_signature_valid(document: dict, public_pem: bytes) -> bool:
    """Whether ``document``'s signature is ``public_pem``'s over its canonical body."""
    try:
        signature = base64.b64decode(document["signature"], validate=True)
    except (KeyError, TypeError, binascii.Error, ValueError):
        return False
    return crypto.sm2_verify(public_pem, canonical_json(document["body"]), signature)


@dataclass(frozen=True)
class Certificate:
    """A parsed certificate: its facts and the signed document they came from."""

    serial: str
    issuer_serial: str
    issuer_name: str
    subject_name: str
    subject_unit: str
    usage: str
    public_key: bytes
    not_before: datetime.datetime
    not_after: datetime.datetime
    document: dict

    @property
    def is_self_signed(self) -> bool:
        return self.serial == self.issuer_serial

    def valid_at(self, moment: datetime.datetime) -> bool:
        """GB/T 20518's validity period: both ends included."""
        return self.not_before <= moment <= self.not_after


def build_certificate(
    *,
    serial: str,
    subject_name: str,
    subject_unit: str,
    usage: str,
    public_key: bytes,
    not_before: datetime.datetime,
    not_after: datetime.datetime,
    issuer_serial: str,
    issuer_name: str,
    issuer_private_key: bytes,
) -> dict:
    """A certificate document signed by the issuer (the root signs itself: same serial)."""
    if usage not in USAGES:
        raise ValueError(f"unknown certificate usage {usage!r}")
    if not_after <= not_before:
        raise ValueError("a certificate ends after it begins")
    body = {
        "format": CERTIFICATE_FORMAT,
        "serial": serial,
        "issuer_serial": issuer_serial,
        "issuer_name": issuer_name,
        "subject_name": subject_name,
        "subject_unit": subject_unit,
        "usage": usage,
        "public_key": public_key.decode("ascii"),
        "not_before": format_instant(not_before),
        "not_after": format_instant(not_after),
    }
    return sign_document(body, issuer_private_key)


def serialise(document: dict) -> str:
    """A signed document as the text stored and downloaded (canonical, so stable)."""
    return canonical_json(document).decode("utf-8")


def load_document(text) -> dict:
    """A signed document from text, bytes or an already parsed dict; FormatError when it is
    not JSON or lacks the signed document's shape."""
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise FormatError("not_json") from None
    if isinstance(text, str):
        try:
            text = json.loads(text)
        except ValueError:
            raise FormatError("not_json") from None
    if not isinstance(text, dict) or not isinstance(text.get("body"), dict):
        raise FormatError("missing_fields", "body")
    if text.get("signature_algorithm") != SIGNATURE_ALGORITHM:
        raise FormatError("unknown_algorithm", str(text.get("signature_algorithm"))[:40])
    if not isinstance(text.get("signature"), str):
        raise FormatError("missing_fields", "signature")
    return text


def require_text(body: dict, names) -> None:
    """FormatError naming the fields of ``names`` that are not text."""
    wrong = sorted(name for name in names if not isinstance(body[name], str))
    if wrong:
        raise FormatError("missing_fields", ", ".join(wrong))


def parse_certificate(text) -> Certificate:
    """A :class:`Certificate` from its signed document; FormatError naming what is missing
    or malformed. The signature is not checked here (:func:`chain_problem` does)."""
    document = load_document(text)
    body = document["body"]
    missing = sorted(CERTIFICATE_FIELDS - body.keys())
    if missing:
        raise FormatError("missing_fields", ", ".join(missing))
    if body["format"] != CERTIFICATE_FORMAT:
        raise FormatError("unknown_format", str(body["format"])[:40])
    if body["usage"] not in USAGES:
        raise FormatError("unknown_usage", str(body["usage"])[:40])
    require_text(body, CERTIFICATE_FIELDS - {"not_before", "not_after"})
    return Certificate(
        serial=body["serial"],
        issuer_serial=body["issuer_serial"],
        issuer_name=body["issuer_name"],
        subject_name=body["subject_name"],
        subject_unit=body["subject_unit"],
        usage=body["usage"],
        public_key=body["public_key"].encode("ascii", "replace"),
        not_before=parse_instant(body["not_before"]),
        not_after=parse_instant(body["not_after"]),
        document=document,
    )


#: Why a certificate does not chain to the root (reason codes of ``trust.validation``).
CHAIN_ROOT_NOT_CA = "root_not_ca"
CHAIN_ROOT_SIGNATURE = "root_signature_invalid"
CHAIN_UNKNOWN_ISSUER = "unknown_issuer"
CHAIN_SIGNATURE = "certificate_signature_invalid"
CHAIN_NOT_A_SEAL = "not_a_seal_certificate"


def chain_problem(certificate: Certificate, root: Certificate) -> str | None:
    """None when ``certificate`` was issued by ``root`` (the platform's self-signed CA) and
    its signature is the root's; else the reason code. The platform has one level: the root
    issues seal certificates directly (GB/T 20518's path of length one)."""
    if root.usage != USAGE_CA or not root.is_self_signed:
        return CHAIN_ROOT_NOT_CA
    if not document_signature_valid(root.document, root.public_key):
        return CHAIN_ROOT_SIGNATURE
    if certificate.usage != USAGE_SEAL:
        return CHAIN_NOT_A_SEAL
    if certificate.issuer_serial != root.serial:
        return CHAIN_UNKNOWN_ISSUER
    if not document_signature_valid(certificate.document, root.public_key):
        return CHAIN_SIGNATURE
    return None


@dataclass(frozen=True)
class Revocation:
    serial: str
    revoked_at: datetime.datetime
    reason: str


@dataclass(frozen=True)
class RevocationList:
    issuer_serial: str
    number: int
    issued_at: datetime.datetime
    revoked: dict[str, Revocation]
    document: dict


def build_revocation_list(
    *,
    issuer_serial: str,
    number: int,
    issued_at: datetime.datetime,
    revoked: list[Revocation],
    issuer_private_key: bytes,
) -> dict:
    """A revocation list (the CRL of GB/T 20518's profile, in JSON) signed by the root."""
    body = {
        "format": REVOCATION_LIST_FORMAT,
        "issuer_serial": issuer_serial,
        "number": number,
        "issued_at": format_instant(issued_at),
        "revoked": [
            {
                "serial": item.serial,
                "revoked_at": format_instant(item.revoked_at),
                "reason": item.reason,
            }
            for item in sorted(revoked, key=lambda item: item.serial)
        ],
    }
    return sign_document(body, issuer_private_key)


def parse_revocation_list(text) -> RevocationList:
    """A :class:`RevocationList` from its signed document; FormatError when malformed."""
    document = load_document(text)
    body = document["body"]
    missing = sorted(REVOCATION_LIST_FIELDS - body.keys())
    if missing:
        raise FormatError("missing_fields", ", ".join(missing))
    if body["format"] != REVOCATION_LIST_FORMAT:
        raise FormatError("unknown_format", str(body["format"])[:40])
    if not isinstance(body["revoked"], list) or not isinstance(body["number"], int):
        raise FormatError("missing_fields", "revoked, number")
    revoked = {}
    for entry in body["revoked"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("serial"), str):
            raise FormatError("missing_fields", "revoked")
        revoked[entry["serial"]] = Revocation(
            entry["serial"], parse_instant(entry.get("revoked_at")), str(entry.get("reason", ""))
        )
    return RevocationList(
        issuer_serial=str(body["issuer_serial"]),
        number=body["number"],
        issued_at=parse_instant(body["issued_at"]),
        revoked=revoked,
        document=document,
    )


def revocation_list_valid(crl: RevocationList, root: Certificate) -> bool:
    """Whether the list was issued and signed by ``root``."""
    return crl.issuer_serial == root.serial and document_signature_valid(
        crl.document, root.public_key
    )
