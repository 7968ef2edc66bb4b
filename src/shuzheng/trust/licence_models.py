"""Electronic licences' tables (issue 10, point 2): licence types defined as data by their
issuing unit, the licences issued, and the holders' bound identities. Imported by
``trust.models`` so that Django finds them; the rules are ``trust.licences``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuzheng import clock
from shuzheng.trust import licences


class ValidityKind(models.TextChoices):
    NONE = licences.NO_EXPIRY, _("No expiry")
    YEARS = licences.YEARS, _("Years from the issue date")


class LicenceStatus(models.TextChoices):
    """The stored statuses; ``expired`` is read off the clock (``Licence.status_today``)."""

    VALID = licences.VALID, _("Valid")
    SUSPENDED = licences.SUSPENDED, _("Suspended")
    REVOKED = licences.REVOKED, _("Revoked")


#: Every status a licence shows, the computed ``expired`` included.
STATUS_LABELS = {**dict(LicenceStatus.choices), licences.EXPIRED: _("Expired")}


class HolderKind(models.TextChoices):
    CREDIT_CODE = licences.CREDIT_CODE, _("Unified social credit code")
    IDENTITY_CARD = licences.IDENTITY_CARD, _("Resident identity card number")


class LicenceType(models.Model):
    """A kind of licence a unit issues (证照类型): its code in licence numbers, its name, the
    fields of its face (照面信息), its validity rule and the seal its licences are signed
    with. ``is_sample`` marks the demonstration types loadsample makes."""

    code = models.CharField(_("type code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    issuer = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("issuing unit"),
        related_name="licence_types",
        on_delete=models.PROTECT,
    )
    seal = models.ForeignKey(
        "trust.Seal",
        verbose_name=_("seal"),
        related_name="licence_types",
        on_delete=models.PROTECT,
    )
    face_fields = models.JSONField(_("face fields"), default=list)
    validity_kind = models.CharField(
        _("validity"), max_length=8, choices=ValidityKind.choices, default=ValidityKind.NONE
    )
    validity_years = models.PositiveSmallIntegerField(_("years of validity"), default=0)
    is_sample = models.BooleanField(_("sample"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("licence type")
        verbose_name_plural = _("licence types")
        ordering = ["issuer_id", "code"]

    def __str__(self):
        return self.name

    @property
    def fields(self) -> tuple[licences.FaceField, ...]:
        return licences.parse_face_fields(self.face_fields)

    @property
    def validity(self) -> licences.ValidityRule:
        return licences.ValidityRule(self.validity_kind, self.validity_years)


class Licence(models.Model):
    """One issued licence (电子证照). Its ``record_signature`` covers the canonical record
    (``trust.licences.canonical_bytes``, whose SM3 is ``digest``), its ``pdf_signature``
    the PDF's bytes, which ``pdf`` carries (``trust.sealed_pdf``). The holder's code is kept
    only as a keyed digest and masked (``shuzheng.privacy``)."""

    number = models.CharField(_("licence number"), max_length=80, unique=True)
    licence_type = models.ForeignKey(
        LicenceType,
        verbose_name=_("licence type"),
        related_name="licences",
        on_delete=models.PROTECT,
    )
    year = models.PositiveSmallIntegerField(_("year of issue"))
    serial = models.PositiveIntegerField(_("serial number"))
    holder_kind = models.CharField(_("holder code type"), max_length=16, choices=HolderKind.choices)
    holder_name = models.CharField(_("holder"), max_length=200)
    holder_key = models.CharField(_("holder lookup key"), max_length=64, db_index=True)
    holder_masked = models.CharField(_("holder code (masked)"), max_length=32)
    face = models.JSONField(_("face information"), default=dict)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=LicenceStatus.choices, default=LicenceStatus.VALID
    )
    status_reason = models.CharField(_("reason"), max_length=200, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    digest = models.CharField(_("SM3 digest of the record"), max_length=64)
    record = models.TextField(_("signed record (JSON)"))
    record_signature = models.OneToOneField(
        "trust.Signature",
        verbose_name=_("signature of the record"),
        related_name="licence",
        on_delete=models.PROTECT,
    )
    pdf_signature = models.OneToOneField(
        "trust.Signature",
        verbose_name=_("signature of the PDF"),
        related_name="licence_pdf",
        on_delete=models.PROTECT,
    )
    pdf = models.BinaryField(_("PDF"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["licence_type", "year", "serial"], name="trust_licence_serial_unique"
            )
        ]

    def __str__(self):
        return self.number

    @property
    def status_today(self) -> str:
        return licences.effective_status(self.status, self.valid_until, clock.today())

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status_today]


class HolderIdentity(models.Model):
    """A signed-in person's or enterprise's holder code, bound by an administrator after
    real-name verification (实名核验), so that "my licences" finds the licences issued to it.
    The code itself is never stored: its keyed digest and its masked form are."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="holder_identities",
        on_delete=models.CASCADE,
    )
    kind = models.CharField(_("holder code type"), max_length=16, choices=HolderKind.choices)
    key = models.CharField(_("holder lookup key"), max_length=64, unique=True)
    masked = models.CharField(_("holder code (masked)"), max_length=32)
    bound_at = models.DateTimeField(_("bound at"), auto_now_add=True)

    class Meta:
        verbose_name = _("holder identity")
        verbose_name_plural = _("holder identities")

    def __str__(self):
        return self.masked
