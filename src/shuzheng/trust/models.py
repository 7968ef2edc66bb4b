"""The trust services' tables (issue 10, item 1): the platform's certification authority,
the certificates it issues, the seals of units with their encrypted keys, every signature a
seal made, and the revocation lists published.

A certificate's signed JSON text (``trust.certificates``) is what counts; its columns repeat
its facts for lists and look-ups, written once from the same values when it is issued.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuzheng.trust.choices import SealKind, SealStatus

# The electronic licences' tables live in their own module; imported here for Django.
from shuzheng.trust.licence_models import HolderIdentity, Licence, LicenceType  # noqa: F401


class Certificate(models.Model):
    """A certificate the platform's CA issued (or the CA's own, self-signed)."""

    serial = models.CharField(_("serial number"), max_length=32, unique=True)
    subject_name = models.CharField(_("subject"), max_length=200)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        related_name="certificates",
        on_delete=models.PROTECT,
    )
    is_ca = models.BooleanField(_("certification authority"), default=False)
    public_key = models.TextField(_("public key (PEM)"))
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    #: None for the root, which signs itself.
    issuer = models.ForeignKey(
        "CertificateAuthority",
        verbose_name=_("issuer"),
        null=True,
        blank=True,
        related_name="issued",
        on_delete=models.PROTECT,
    )
    text = models.TextField(_("certificate (JSON)"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return f"{self.subject_name} ({self.serial})"


class CertificateAuthority(models.Model):
    """The platform's root (根证书): an SM2 key, encrypted at rest, and its certificate."""

    name = models.CharField(_("name"), max_length=200)
    certificate = models.OneToOneField(
        Certificate,
        verbose_name=_("certificate"),
        related_name="authority",
        on_delete=models.PROTECT,
    )
    sealed_private_key = models.TextField(_("private key (SM4-GCM)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certification authority")
        verbose_name_plural = _("certification authorities")

    def __str__(self):
        return self.name


class Seal(models.Model):
    """An electronic seal (电子印章): a unit's, or the platform's own (no unit)."""

    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        related_name="seals",
        on_delete=models.PROTECT,
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SealKind.choices)
    name = models.CharField(_("name"), max_length=100)
    image = models.BinaryField(_("image (PNG)"))
    certificate = models.OneToOneField(
        Certificate, verbose_name=_("certificate"), related_name="seal", on_delete=models.PROTECT
    )
    sealed_private_key = models.TextField(_("private key (SM4-GCM)"))
    status = models.CharField(
        _("status"), max_length=16, choices=SealStatus.choices, default=SealStatus.ACTIVE
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.CharField(_("reason for revocation"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        ordering = ["unit__name", "kind", "name", "id"]
        verbose_name = _("seal")
        verbose_name_plural = _("seals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=SealKind.PLATFORM, unit__isnull=True)
                | (~models.Q(kind=SealKind.PLATFORM) & models.Q(unit__isnull=False)),
                name="trust_seal_platform_has_no_unit",
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(kind=SealKind.PLATFORM, status=SealStatus.ACTIVE),
                name="trust_one_active_platform_seal",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == SealStatus.ACTIVE


class Signature(models.Model):
    """One use of a seal (签章): what it signed, when, by whom, and the signature itself."""

    number = models.CharField(_("signature number"), max_length=32, unique=True)
    seal = models.ForeignKey(
        Seal, verbose_name=_("seal"), related_name="signatures", on_delete=models.PROTECT
    )
    certificate_serial = models.CharField(_("certificate serial number"), max_length=32)
    digest = models.CharField(_("SM3 digest"), max_length=64)
    #: The signed attributes' signed document (``trust.validation``), canonical JSON.
    signed_document = models.TextField(_("signed attributes (JSON)"))
    signed_at = models.DateTimeField(_("signed at"))
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    signer_name = models.CharField(_("signer"), max_length=150)
    subject_kind = models.CharField(_("kind of document"), max_length=32)
    subject_ref = models.CharField(_("document reference"), max_length=200)

    class Meta:
        ordering = ["-signed_at", "-id"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        indexes = [models.Index(fields=["subject_kind", "subject_ref"])]

    def __str__(self):
        return self.number


class RevocationList(models.Model):
    """A revocation list as published (吊销列表): numbered, signed by the root."""

    number = models.PositiveIntegerField(_("number"), unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    text = models.TextField(_("revocation list (JSON)"))

    class Meta:
        ordering = ["-number"]
        verbose_name = _("revocation list")
        verbose_name_plural = _("revocation lists")

    def __str__(self):
        return str(self.number)
