"""Every write of the trust services, and the one place that signs (issue 10, items 1 and 4).

* :func:`ensure_platform_root` makes the platform's certification authority once: an SM2
  key, its self-signed certificate, the platform's own seal (:func:`platform_seal`) and the
  first revocation list;
* :func:`create_seal` and :func:`revoke_seal` (``manage_seals``): a unit's seal with its key
  pair and certificate, and its revocation, which publishes a new signed revocation list;
* :func:`sign` (``use_seal`` for the seal's unit): a signature over bytes, recorded;
* :func:`verify`: the validation report of a signature (``trust.validation``).

Private keys exist in clear only inside these functions: they are stored sealed with SM4-GCM
(``shuzheng.crypto.seal``) under the key-encryption key of ``SHUZHENG_TRUST_KEK`` (derived
from the secret key when it is not set; ``check --deploy`` warns). Each write is one
transaction with its audit event; ``by`` None means the system (loaders, the worker).
"""

from __future__ import annotations

import datetime
import json
import secrets
from collections.abc import Sequence
from io import BytesIO

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from shuzheng import clock, crypto
from shuzheng.accounts.authorization import ensure_perm
from shuzheng.audit.services import record_change
from shuzheng.trust import certificates, validation
from shuzheng.trust.certificates import Revocation
from shuzheng.trust.choices import UNIT_SEAL_KINDS, SealKind, SealStatus
from shuzheng.trust.images import draw_seal
from shuzheng.trust.models import (
    Certificate,
    CertificateAuthority,
    RevocationList,
    Seal,
    Signature,
)
from shuzheng.trust.validation import ValidationReport

KEK_PURPOSE = "shuzheng.trust.kek"
ROOT_VALIDITY = datetime.timedelta(days=20 * 365)
SEAL_VALIDITY = datetime.timedelta(days=5 * 365)
#: An uploaded seal picture: a PNG no larger than this, at most this many pixels a side.
IMAGE_MAX_BYTES = 1024 * 1024
IMAGE_MAX_SIDE = 2000
SUBJECT_KIND_MAX = Signature._meta.get_field("subject_kind").max_length
SUBJECT_REF_MAX = Signature._meta.get_field("subject_ref").max_length


class TrustError(ValueError):
    """Refused input or a refused use of a seal; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


def platform_name() -> str:
    return _("Shuzheng platform certification authority")


def _kek() -> bytes:
    return crypto.derive_key(settings.TRUST_KEK or settings.SECRET_KEY, KEK_PURPOSE)


def _new_serial() -> str:
    return secrets.token_hex(8).upper()


def _now() -> datetime.datetime:
    """The clock to the second: times are signed to the second, and stored as signed."""
    return clock.now().replace(microsecond=0)


def _private_key(sealed: str) -> bytes:
    return crypto.unseal(_kek(), sealed).encode("ascii")


def ensure_platform_root() -> CertificateAuthority:
    """The platform's CA, made on first use with its seal and first revocation list."""
    with transaction.atomic():
        authority = CertificateAuthority.objects.select_related("certificate").first()
        if authority is None:
            authority = _create_root()
        if not Seal.objects.filter(kind=SealKind.PLATFORM, status=SealStatus.ACTIVE).exists():
            _issue_seal(authority, None, SealKind.PLATFORM, platform_name(), None, by=None)
        if not RevocationList.objects.exists():
            _publish_revocation_list(authority)
    return authority


def _create_root() -> CertificateAuthority:
    private_pem = crypto.sm2_generate_private_key()
    serial = _new_serial()
    now = _now()
    name = platform_name()
    document = certificates.build_certificate(
        serial=serial,
        subject_name=name,
        subject_unit="",
        usage=certificates.USAGE_CA,
        public_key=crypto.sm2_public_key(private_pem),
        not_before=now,
        not_after=now + ROOT_VALIDITY,
        issuer_serial=serial,
        issuer_name=name,
        issuer_private_key=private_pem,
    )
    certificate = _store_certificate(document, unit=None, issuer=None)
    authority = CertificateAuthority.objects.create(
        name=name,
        certificate=certificate,
        sealed_private_key=crypto.seal(_kek(), private_pem.decode("ascii")),
    )
    record_change(
        actor=None,
        action="trust.create_root",
        obj=authority,
        after={"serial": serial, "not_after": document["body"]["not_after"]},
    )
    return authority


def _store_certificate(document: dict, *, unit, issuer) -> Certificate:
    parsed = certificates.parse_certificate(document)
    return Certificate.objects.create(
        serial=parsed.serial,
        subject_name=parsed.subject_name,
        unit=unit,
        is_ca=parsed.usage == certificates.USAGE_CA,
        public_key=parsed.public_key.decode("ascii"),
        not_before=parsed.not_before,
        not_after=parsed.not_after,
        issuer=issuer,
        text=certificates.serialise(document),
    )


def root_certificate() -> dict:
    """The root certificate's signed document (to download and trust)."""
    return json.loads(ensure_platform_root().certificate.text)


def platform_seal() -> Seal:
    """The platform's own seal (it signs what the platform issues: the audit chain's head)."""
    ensure_platform_root()
    return Seal.objects.select_related("certificate").get(
        kind=SealKind.PLATFORM, status=SealStatus.ACTIVE
    )


def create_seal(
    unit,
    kind: str,
    name: str,
    *,
    by,
    image: bytes | None = None,
    valid_for: datetime.timedelta = SEAL_VALIDITY,
) -> Seal:
    """A new seal of ``unit`` (公章 or 业务专用章) with its SM2 key and certificate; the
    picture drawn from the unit's name unless a PNG is given (GA 241's round red seal)."""
    if by is not None:
        ensure_perm(by, "manage_seals")
    if kind not in UNIT_SEAL_KINDS:
        raise TrustError(_("Choose the kind of seal: official seal or business seal."), "kind")
    name = (name or "").strip()
    if not name:
        raise TrustError(_("Enter the seal's name."), "name")
    if len(name) > Seal._meta.get_field("name").max_length:
        raise TrustError(_("The seal's name is longer than 100 characters."), "name")
    if image is not None:
        _check_image(image)
    with transaction.atomic():
        authority = ensure_platform_root()
        return _issue_seal(authority, unit, kind, name, image, by=by, valid_for=valid_for)


def _check_image(image: bytes) -> None:
    if len(image) > IMAGE_MAX_BYTES:
        raise TrustError(_("The seal's picture is larger than 1 MB."), "image")
    try:
        with Image.open(BytesIO(image)) as picture:
            picture.verify()
            kind, size = picture.format, picture.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise TrustError(_("The seal's picture is not a PNG image."), "image") from None
    if kind != "PNG":
        raise TrustError(_("The seal's picture is not a PNG image."), "image")
    if max(size) > IMAGE_MAX_SIDE:
        raise TrustError(_("The seal's picture is larger than 2000 pixels a side."), "image")


def _issue_seal(
    authority: CertificateAuthority,
    unit,
    kind: str,
    name: str,
    image: bytes | None,
    *,
    by,
    valid_for: datetime.timedelta = SEAL_VALIDITY,
) -> Seal:
    private_pem = crypto.sm2_generate_private_key()
    root = authority.certificate
    now = _now()
    document = certificates.build_certificate(
        serial=_new_serial(),
        subject_name=name,
        subject_unit=unit.code if unit is not None else "",
        usage=certificates.USAGE_SEAL,
        public_key=crypto.sm2_public_key(private_pem),
        not_before=now,
        not_after=now + valid_for,
        issuer_serial=root.serial,
        issuer_name=root.subject_name,
        issuer_private_key=_private_key(authority.sealed_private_key),
    )
    certificate = _store_certificate(document, unit=unit, issuer=authority)
    if image is None:
        caption = "" if kind == SealKind.OFFICIAL else name.removeprefix(getattr(unit, "name", ""))
        image = draw_seal(unit.name if unit is not None else name, caption)
    seal = Seal.objects.create(
        unit=unit,
        kind=kind,
        name=name,
        image=image,
        certificate=certificate,
        sealed_private_key=crypto.seal(_kek(), private_pem.decode("ascii")),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    record_change(
        actor=by,
        action="trust.create_seal",
        obj=seal,
        after={
            "unit": getattr(unit, "code", ""),
            "kind": kind,
            "name": name,
            "certificate": certificate.serial,
            "not_after": document["body"]["not_after"],
        },
    )
    return seal


def revoke_seal(seal: Seal, reason: str, *, by) -> Seal:
    """Revoke ``seal`` now with ``reason`` and publish the new revocation list: its later
    signatures fail, the earlier ones verify as "revoked after signing"."""
    if by is not None:
        ensure_perm(by, "manage_seals")
    reason = (reason or "").strip()
    if not reason:
        raise TrustError(_("Give the reason for revoking the seal."), "reason")
    if len(reason) > Seal._meta.get_field("revocation_reason").max_length:
        raise TrustError(_("The reason is longer than 200 characters."), "reason")
    with transaction.atomic():
        locked = Seal.objects.select_for_update().get(pk=seal.pk)
        if not locked.is_active:
            raise TrustError(_("This seal is revoked already."), "reason")
        locked.status = SealStatus.REVOKED
        locked.revoked_at = _now()
        locked.revocation_reason = reason
        locked.save(update_fields=["status", "revoked_at", "revocation_reason"])
        record_change(
            actor=by,
            action="trust.revoke_seal",
            obj=locked,
            before={"status": SealStatus.ACTIVE},
            after={"status": SealStatus.REVOKED, "reason": reason},
        )
        _publish_revocation_list(ensure_platform_root())
    seal.refresh_from_db()
    return seal


def _publish_revocation_list(authority: CertificateAuthority) -> RevocationList:
    revoked = [
        Revocation(serial, revoked_at, reason)
        for serial, revoked_at, reason in Seal.objects.filter(status=SealStatus.REVOKED)
        .order_by("certificate__serial")
        .values_list("certificate__serial", "revoked_at", "revocation_reason")
    ]
    last = RevocationList.objects.order_by("-number").values_list("number", flat=True).first()
    number = (last or 0) + 1
    issued_at = _now()
    document = certificates.build_revocation_list(
        issuer_serial=authority.certificate.serial,
        number=number,
        issued_at=issued_at,
        revoked=revoked,
        issuer_private_key=_private_key(authority.sealed_private_key),
    )
    published = RevocationList.objects.create(
        number=number, issued_at=issued_at, text=certificates.serialise(document)
    )
    record_change(
        actor=None,
        action="trust.publish_crl",
        obj=published,
        after={"number": number, "revoked": [item.serial for item in revoked]},
    )
    return published


def revocation_list() -> dict:
    """The latest revocation list's signed document."""
    ensure_platform_root()
    return json.loads(RevocationList.objects.order_by("-number").first().text)


def sign(
    seal: Seal, payload: bytes, *, by, subject_kind: str, subject_ref: str, audited: bool = True
) -> Signature:
    """Sign ``payload`` with ``seal``: SM2 over the signed attributes (SM3 of the payload,
    the certificate, the time, what was signed), recorded and audited. Refused unless ``by``
    holds ``use_seal`` for the seal's unit (the platform's seal: ``manage_seals``, or the
    system), the seal is in use and its certificate valid now.

    ``audited=False`` is for the audit chain's own seal only (``trust.chain_seals``): its
    record is the chain seal in the trail itself, and an event would move the head it seals."""
    (signature,) = sign_many(seal, [(payload, subject_kind, subject_ref)], by=by, audited=audited)
    return signature


def sign_many(
    seal: Seal,
    items: Sequence[tuple[bytes, str, str]],
    *,
    by,
    workers: int = 1,
    audited: bool = True,
) -> list[Signature]:
    """:func:`sign` for each ``(payload, subject_kind, subject_ref)`` of ``items``, as one
    batch (bulk issuance): the right, the seal and its certificate checked once under one
    lock, one signing time, the SM2 signatures made in ``workers`` processes (forked: the
    private key reaches them in memory, never through a pipe), the rows written in bulk and
    each signature audited. Returns the signatures in ``items``' order."""
    if by is not None:
        if seal.unit_id is None:
            ensure_perm(by, "manage_seals")
        else:
            ensure_perm(by, "use_seal", seal.unit_id)
    cleaned = []
    for payload, subject_kind, subject_ref in items:
        if not isinstance(payload, bytes | bytearray):
            raise TypeError("a seal signs bytes; encode text first")
        subject_kind, subject_ref = (subject_kind or "").strip(), (subject_ref or "").strip()
        if not subject_kind or len(subject_kind) > SUBJECT_KIND_MAX:
            raise TrustError(_("Name the kind of document signed (up to 32 characters)."), "kind")
        if not subject_ref or len(subject_ref) > SUBJECT_REF_MAX:
            raise TrustError(_("Name the document signed (up to 200 characters)."), "ref")
        cleaned.append((bytes(payload), subject_kind, subject_ref))
    with transaction.atomic():
        # Only the seal's row is locked: the unit is an outer join (the platform has none).
        seals = Seal.objects.select_for_update(of=("self",)).select_related("certificate", "unit")
        locked = seals.get(pk=seal.pk)
        now = _now()
        if not locked.is_active:
            raise TrustError(_("This seal is revoked: it signs nothing any more."))
        certificate = locked.certificate
        if not certificate.not_before <= now <= certificate.not_after:
            raise TrustError(_("This seal's certificate is not valid now: it signs nothing."))
        unit_name = locked.unit.name if locked.unit is not None else ""
        bodies = [
            validation.signed_attributes_body(
                number=secrets.token_hex(10).upper(),
                payload=payload,
                certificate_serial=certificate.serial,
                seal_name=locked.name,
                unit_name=unit_name,
                signed_at=now,
                subject_kind=subject_kind,
                subject_ref=subject_ref,
            )
            for payload, subject_kind, subject_ref in cleaned
        ]
        documents = certificates.sign_documents(
            bodies, _private_key(locked.sealed_private_key), workers=workers
        )
        authenticated = by is not None and getattr(by, "is_authenticated", False)
        # Both databases return the new rows' ids from a bulk insert (RETURNING).
        signatures = Signature.objects.bulk_create(
            [
                Signature(
                    number=body["number"],
                    seal=locked,
                    certificate_serial=certificate.serial,
                    digest=body["digest"],
                    signed_document=certificates.serialise(document),
                    signed_at=now,
                    signer=by if authenticated else None,
                    signer_name=by.get_username() if authenticated else "system",
                    subject_kind=body["subject_kind"],
                    subject_ref=body["subject_ref"],
                )
                for body, document in zip(bodies, documents, strict=True)
            ],
            batch_size=500,
        )
        if not audited:
            return signatures
        for signature in signatures:
            record_change(
                actor=by,
                action="trust.sign",
                obj=signature,
                after={
                    "seal": locked.pk,
                    "digest": signature.digest,
                    "subject_kind": signature.subject_kind,
                    "subject_ref": signature.subject_ref,
                },
            )
    return signatures


def envelope(signature: Signature, payload: bytes | None = None) -> dict:
    """The signed JSON envelope of ``signature`` (with ``payload`` enclosed when given): the
    file a holder keeps and anyone verifies (docs/trust.md)."""
    return validation.build_envelope(
        json.loads(signature.signed_document),
        json.loads(signature.seal.certificate.text),
        payload,
    )


def verify(payload: bytes | None, signature) -> ValidationReport:
    """The validation report of ``signature`` over ``payload``. ``signature`` is a stored
    :class:`Signature`, or a signed envelope (dict, text or bytes: what was uploaded), whose
    enclosed payload is checked when ``payload`` is None. Never raises on bad input: a
    malformed signature is a report whose format check failed."""
    authority = ensure_platform_root()
    if isinstance(signature, Signature):
        signed, certificate = signature.signed_document, signature.seal.certificate.text
        attested = signature.signed_at
    else:
        try:
            signed, certificate, enclosed = validation.parse_envelope(
                json.dumps(signature) if isinstance(signature, dict) else signature
            )
        except certificates.FormatError as error:
            return validation.format_failure(error)
        payload = enclosed if payload is None else payload
        attested = _attested_time(signed)
    evidence = validation.Evidence(
        signature=signed,
        certificate=certificate,
        payload=None if payload is None else bytes(payload),
        root=certificates.parse_certificate(authority.certificate.text),
        revocations=_revocations(),
        now=clock.now(),
        attested_signed_at=attested,
    )
    return validation.validate(evidence)


def _attested_time(signed) -> datetime.datetime | None:
    """The platform's own record of when this exact signature was made, if it has one."""
    try:
        document, attributes = validation.parse_signed_attributes(signed)
    except certificates.FormatError:
        return None
    stored = Signature.objects.filter(number=attributes.number).first()
    if stored is None or stored.signed_document != certificates.serialise(document):
        return None
    return stored.signed_at


def _revocations() -> dict[str, Revocation]:
    return {
        serial: Revocation(serial, revoked_at, reason)
        for serial, revoked_at, reason in Seal.objects.filter(
            status=SealStatus.REVOKED
        ).values_list("certificate__serial", "revoked_at", "revocation_reason")
    }
