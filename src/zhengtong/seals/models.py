"""Electronic seals (电子印章): the platform's certificate authority, seals, their lifecycle and uses.

Seed 001 第十八条–第二十五条, seed 004 要求 4–8. A seal is a certificate issued to a unit by the
platform's seal-issuing CA plus its key (in an encrypted file or a PKCS#11 token) and the red round
image that is its visible appearance.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengtong.directory.models import Unit


class CertificateAuthority(models.Model):
    """The platform's root CA and its seal-issuing CA (`zhengtong ca init`)."""

    class Kind(models.TextChoices):
        ROOT = "root", _("Root CA")
        ISSUING = "issuing", _("Seal-issuing CA")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind, unique=True)
    subject = models.CharField(_("subject"), max_length=300)
    certificate_pem = models.TextField(_("certificate (PEM)"))
    # PKCS#8 PEM encrypted with the CA passphrase (settings.SEAL_CA_PASSPHRASE): keys are encrypted at rest.
    encrypted_key_pem = models.TextField(_("encrypted private key (PEM)"))
    serial_number = models.CharField(_("serial number"), max_length=64)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    crl_number = models.PositiveBigIntegerField(_("last CRL number"), default=0)
    crl_der = models.BinaryField(_("current CRL (DER)"), blank=True, default=b"")
    crl_next_update = models.DateTimeField(_("next CRL update"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("certificate authority")
        verbose_name_plural = _("certificate authorities")

    def __str__(self) -> str:
        return self.subject


class Seal(models.Model):
    """An electronic seal (电子印章) of a unit: certificate, key location and seal image."""

    class Type(models.TextChoices):
        OFFICIAL = "official", _("Official seal (单位公章)")
        DOCUMENT = "document", _("Seal for official documents (公文专用章)")
        SPECIAL = "special", _("Special seal (专用章)")

    class Status(models.TextChoices):
        ACTIVE = "active", _("In use")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Replaced")

    class KeyStorage(models.TextChoices):
        FILE = "file", _("Encrypted key file")
        PKCS11 = "pkcs11", _("PKCS#11 token (USBKey/HSM)")

    class RevocationReason(models.TextChoices):
        REQUESTED = "requested", _("On the unit's request")
        LOST = "lost", _("Lost or compromised")
        UNIT_ENDED = "unit_ended", _("The unit was dissolved or merged")
        REPLACED = "replaced", _("Replaced by a new seal")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="seals", verbose_name=_("unit"))
    seal_type = models.CharField(_("seal type"), max_length=10, choices=Type, default=Type.OFFICIAL)
    name = models.CharField(_("seal name"), max_length=120, help_text=_("The text on the arc: the unit's full name"))
    lower_text = models.CharField(_("text below the star"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.ACTIVE)
    key_storage = models.CharField(_("key storage"), max_length=10, choices=KeyStorage, default=KeyStorage.FILE)
    # FILE: path below settings.SEAL_KEY_DIR of the PKCS#8 PEM, encrypted with the seal's PIN.
    key_file = models.CharField(_("key file"), max_length=300, blank=True)
    # PKCS11: the token and key label; the module path comes from settings.SEAL_PKCS11_MODULE.
    token_label = models.CharField(_("token label"), max_length=100, blank=True)
    key_label = models.CharField(_("key label"), max_length=100, blank=True)
    certificate_pem = models.TextField(_("certificate (PEM)"))
    serial_number = models.CharField(_("certificate serial number"), max_length=64, unique=True)
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, db_index=True)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    image = models.FileField(_("seal image"), upload_to="seals/images/", blank=True)
    made_at = models.DateTimeField(_("made at"), default=timezone.now)
    replaces = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("replaces"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.CharField(_("reason for revocation"), max_length=12, choices=RevocationReason,
                                         blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("revoked by"))
    failed_pin_attempts = models.PositiveIntegerField(_("wrong PINs in a row"), default=0)

    class Meta:
        verbose_name = _("electronic seal")
        verbose_name_plural = _("electronic seals")
        ordering = ["unit__sort_order", "unit_id", "seal_type", "-made_at"]
        indexes = [models.Index(fields=["unit", "status"], name="seals_unit_status")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_seal_type_display()}）"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class SealApplication(models.Model):
    """An application to make, change or revoke a unit's seal (第二十一条): head approval, operator
    approval, then two different authorised people confirm the making (第二十二、二十三条)."""

    class Action(models.TextChoices):
        MAKE = "make", _("Make a new seal")
        CHANGE = "change", _("Change a seal (e.g. new unit name)")
        REISSUE = "reissue", _("Replace a damaged or lost seal")
        REVOKE = "revoke", _("Revoke a seal")

    class Status(models.TextChoices):
        AWAITING_HEAD = "head", _("Awaiting the unit head's approval")
        AWAITING_OPERATOR = "operator", _("Awaiting the platform's approval")
        APPROVED = "approved", _("Approved; awaiting the two confirmations")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="seal_applications",
                             verbose_name=_("unit"))
    action = models.CharField(_("application"), max_length=10, choices=Action, default=Action.MAKE)
    seal_type = models.CharField(_("seal type"), max_length=10, choices=Seal.Type, default=Seal.Type.OFFICIAL)
    seal_name = models.CharField(_("seal name"), max_length=120, blank=True)
    lower_text = models.CharField(_("text below the star"), max_length=20, blank=True)
    key_storage = models.CharField(_("key storage"), max_length=10, choices=Seal.KeyStorage,
                                   default=Seal.KeyStorage.FILE)
    seal = models.ForeignKey(Seal, on_delete=models.PROTECT, null=True, blank=True, related_name="applications",
                             verbose_name=_("seal concerned"))
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.AWAITING_HEAD)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("applicant"))
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)
    head_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("approved by the unit head"))
    head_decided_at = models.DateTimeField(_("unit head decided at"), null=True, blank=True)
    operator_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                            blank=True, related_name="+", verbose_name=_("platform decision by"))
    operator_decided_at = models.DateTimeField(_("platform decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    custodian_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                               blank=True, related_name="+",
                                               verbose_name=_("confirmed by the 保密室 custodian"))
    custodian_confirmed_at = models.DateTimeField(_("custodian confirmed at"), null=True, blank=True)
    operator_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                              blank=True, related_name="+",
                                              verbose_name=_("confirmed by the 信息中心 operator"))
    operator_confirmed_at = models.DateTimeField(_("operator confirmed at"), null=True, blank=True)
    result_seal = models.ForeignKey(Seal, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("resulting seal"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("seal application")
        verbose_name_plural = _("seal applications")
        ordering = ["-applied_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_action_display()}"


class SealUse(models.Model):
    """One application of a seal to a PDF (盖章), kept for the record and for verification pages."""

    seal = models.ForeignKey(Seal, on_delete=models.PROTECT, related_name="uses", verbose_name=_("seal"))
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="seal_uses", verbose_name=_("document"))
    field_name = models.CharField(_("signature field"), max_length=60)
    sealed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("sealed by"))
    sealed_at = models.DateTimeField(_("sealed at"), default=timezone.now)
    sha256_before = models.CharField(_("SHA-256 before"), max_length=64)
    sha256_after = models.CharField(_("SHA-256 after"), max_length=64, db_index=True)
    certified = models.BooleanField(_("certification signature"), default=False)
    timestamped = models.BooleanField(_("time-stamped"), default=False)

    class Meta:
        verbose_name = _("seal use")
        verbose_name_plural = _("seal uses")
        ordering = ["-sealed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.seal} @ {self.sealed_at:%Y-%m-%d %H:%M}"


def new_token() -> str:
    return secrets.token_urlsafe(18)
