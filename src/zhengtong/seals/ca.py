"""The platform's certificate authority (电子印章签发系统): a root CA and a seal-issuing CA.

`zhengtong ca init` creates both once. The root (ECDSA P-384, 20 years) signs only the issuing CA
(ECDSA P-384, 10 years, path length 0), which signs the units' seal certificates and the
certificate revocation list (CRL) published at ``/seals/crl/issuing.crl``. Both private keys are
kept in the database as PKCS#8 encrypted with ``settings.SEAL_CA_PASSPHRASE`` (kept apart from
database backups), so a copy of the database alone cannot issue seals.

Seal certificates carry no extended key usage: NSS (pdfsig, Firefox, Thunderbird) and Adobe
accept such a certificate for document signing when the root is trusted, while an EKU without
emailProtection would make NSS refuse it. Their key usage is digitalSignature + nonRepudiation
(contentCommitment), critical.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.seals.models import CertificateAuthority, Seal

ROOT_YEARS = 20
ISSUING_YEARS = 10
CRL_VALID_DAYS = 7
# A CRL is published again when it would expire within this time (current_crl_der).
CRL_REFRESH_MARGIN = dt.timedelta(days=1)
CA_CURVE = ec.SECP384R1
CA_HASH = hashes.SHA384
DEFAULT_ORGANISATION = "政通电子政务平台"
CRL_PATH = "/seals/crl/issuing.crl"
ROOT_CRL_PATH = "/seals/crl/root.crl"

# What a seal type is called in the certificate's OU (data, not UI: always Chinese).
SEAL_TYPE_NAMES = {
    Seal.Type.OFFICIAL: "单位公章",
    Seal.Type.DOCUMENT: "公文专用章",
    Seal.Type.SPECIAL: "专用章",
}

# Seal.RevocationReason -> the CRL reason code (RFC 5280 5.3.1); "requested" is unspecified,
# which RFC 5280 says to express by leaving the reason code out.
CRL_REASONS = {
    Seal.RevocationReason.LOST: x509.ReasonFlags.key_compromise,
    Seal.RevocationReason.UNIT_ENDED: x509.ReasonFlags.cessation_of_operation,
    Seal.RevocationReason.REPLACED: x509.ReasonFlags.superseded,
    Seal.RevocationReason.REQUESTED: None,
}


class CAError(Exception):
    """A CA operation could not be carried out; ``str()`` is a message for people (Chinese)."""


class CAAlreadyExists(CAError):
    def __init__(self, message: str | None = None):
        super().__init__(message or _("The certificate authority already exists; it is created only once."))


class CANotInitialised(CAError):
    def __init__(self, message: str | None = None):
        super().__init__(message or _("The certificate authority has not been created yet: run `zhengtong ca init`."))


class CAKeyUnreadable(CAError):
    def __init__(self, message: str | None = None):
        super().__init__(message or _("The certificate authority's key cannot be decrypted: "
                                      "check ZHENGTONG_SEAL_CA_PASSPHRASE."))


# --- helpers -----------------------------------------------------------------------------------

_parsed: dict[str, x509.Certificate] = {}
_parsed_lock = threading.Lock()


def load_certificate(pem: str | bytes) -> x509.Certificate:
    """Parse a PEM certificate (cached: the CA certificates are read for every signature)."""
    key = pem if isinstance(pem, str) else pem.decode("ascii")
    cert = _parsed.get(key)
    if cert is None:
        cert = x509.load_pem_x509_certificate(key.encode("ascii"))
        with _parsed_lock:
            if len(_parsed) > 512:
                _parsed.clear()
            _parsed[key] = cert
    return cert


def serial_hex(cert_or_serial: x509.Certificate | int) -> str:
    """The serial number as stored on Seal.serial_number: upper-case hexadecimal, no separators."""
    serial = cert_or_serial if isinstance(cert_or_serial, int) else cert_or_serial.serial_number
    return format(serial, "X")


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 fingerprint of the DER certificate, lower-case hex (Seal.fingerprint)."""
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def certificate_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def seal_fields(cert: x509.Certificate) -> dict:
    """The Seal model fields that come from its certificate, in the formats used everywhere:
    ``Seal(**keys_fields, **ca.seal_fields(cert), unit=…, name=…)``."""
    return {
        "certificate_pem": certificate_pem(cert),
        "serial_number": serial_hex(cert),
        "fingerprint": fingerprint(cert),
        "not_before": cert.not_valid_before_utc,
        "not_after": cert.not_valid_after_utc,
    }


def _passphrase() -> bytes:
    passphrase = settings.SEAL_CA_PASSPHRASE
    return passphrase.encode("utf-8") if isinstance(passphrase, str) else bytes(passphrase)


def _encrypt_key(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_passphrase()),
    ).decode("ascii")


def _decrypt_key(authority: CertificateAuthority):
    try:
        return serialization.load_pem_private_key(authority.encrypted_key_pem.encode("ascii"), _passphrase())
    except (ValueError, TypeError) as exc:
        raise CAKeyUnreadable() from exc


def _name(organisation: str, common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
    ])


def _store(kind: str, cert: x509.Certificate, key) -> CertificateAuthority:
    return CertificateAuthority.objects.create(
        kind=kind,
        subject=cert.subject.rfc4514_string(),
        certificate_pem=certificate_pem(cert),
        encrypted_key_pem=_encrypt_key(key),
        serial_number=serial_hex(cert),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
    )


def _years(start: dt.datetime, years: int) -> dt.datetime:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def crl_url() -> str:
    return f"{settings.PUBLIC_BASE_URL}{CRL_PATH}"


def root_crl_url() -> str:
    return f"{settings.PUBLIC_BASE_URL}{ROOT_CRL_PATH}"


def _distribution_point(url: str) -> x509.CRLDistributionPoints:
    return x509.CRLDistributionPoints([x509.DistributionPoint(
        full_name=[x509.UniformResourceIdentifier(url)], relative_name=None, reasons=None, crl_issuer=None)])


# --- the CA ------------------------------------------------------------------------------------

def init_ca(*, organisation: str | None = None) -> tuple[CertificateAuthority, CertificateAuthority]:
    """Create the root CA and the seal-issuing CA (once); returns ``(root, issuing)``.

    Raises CAAlreadyExists when either exists. Audited as ``seals.ca.init``.
    """
    from zhengtong.audit.services import record

    organisation = (organisation or getattr(settings, "ZHENGTONG_SITE_NAME", "") or DEFAULT_ORGANISATION).strip()
    if CertificateAuthority.objects.exists():
        raise CAAlreadyExists()
    now = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=5)

    root_key = ec.generate_private_key(CA_CURVE())
    root_name = _name(organisation, f"{organisation} 电子印章根证书")
    root_ski = x509.SubjectKeyIdentifier.from_public_key(root_key.public_key())
    root_cert = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(_years(now, ROOT_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(root_ski, critical=False)
        .sign(root_key, CA_HASH())
    )

    issuing_key = ec.generate_private_key(CA_CURVE())
    issuing_name = _name(organisation, f"{organisation} 电子印章签发证书")
    issuing_cert = (
        x509.CertificateBuilder()
        .subject_name(issuing_name)
        .issuer_name(root_name)
        .public_key(issuing_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(_years(now, ISSUING_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(issuing_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(root_ski), critical=False)
        .add_extension(_distribution_point(root_crl_url()), critical=False)
        .sign(root_key, CA_HASH())
    )

    try:
        with transaction.atomic():
            root = _store(CertificateAuthority.Kind.ROOT, root_cert, root_key)
            issuing = _store(CertificateAuthority.Kind.ISSUING, issuing_cert, issuing_key)
            record(actor=None, action="seals.ca.init", obj=root,
                   summary=_("Certificate authority created: %(name)s") % {"name": organisation},
                   changes={"root_serial": root.serial_number, "issuing_serial": issuing.serial_number,
                            "root_sha256": fingerprint(root_cert)})
            _publish_crl(root)
            _publish_crl(issuing)
    except IntegrityError as exc:  # created meanwhile by another process
        raise CAAlreadyExists() from exc
    return root, issuing


def ensure_ca() -> None:
    """Create the CA when it does not exist yet (demo data, tests, first seal)."""
    if CertificateAuthority.objects.filter(kind=CertificateAuthority.Kind.ISSUING).exists():
        return
    try:
        init_ca()
    except CAAlreadyExists:
        pass


def _authority(kind: str) -> CertificateAuthority:
    try:
        return CertificateAuthority.objects.get(kind=kind)
    except CertificateAuthority.DoesNotExist as exc:
        raise CANotInitialised() from exc


def root_authority() -> CertificateAuthority:
    return _authority(CertificateAuthority.Kind.ROOT)


def issuing_authority() -> CertificateAuthority:
    return _authority(CertificateAuthority.Kind.ISSUING)


def root_certificate() -> x509.Certificate:
    return load_certificate(root_authority().certificate_pem)


def root_certificate_pem() -> str:
    """The root certificate (PEM): install it as trusted to verify seals with other tools."""
    return root_authority().certificate_pem


def chain() -> list[x509.Certificate]:
    """The CA chain above a seal certificate: ``[issuing, root]``."""
    pems = dict(CertificateAuthority.objects.values_list("kind", "certificate_pem"))
    if CertificateAuthority.Kind.ISSUING not in pems or CertificateAuthority.Kind.ROOT not in pems:
        raise CANotInitialised()
    return [load_certificate(pems[CertificateAuthority.Kind.ISSUING]),
            load_certificate(pems[CertificateAuthority.Kind.ROOT])]


def issue_seal_certificate(*, public_key, unit, seal_name: str, seal_type: str) -> x509.Certificate:
    """Issue the certificate of a unit's seal (证书) for ``public_key``, signed by the issuing CA.

    Subject: CN = the seal's name, O = the unit's full name, OU = the seal type, serialNumber = the
    unit code, C = CN. Valid for settings.SEAL_CERT_YEARS, never beyond the issuing CA.
    """
    issuing = issuing_authority()
    issuer_cert = load_certificate(issuing.certificate_pem)
    issuer_key = _decrypt_key(issuing)
    seal_name = (seal_name or "").strip()
    if not seal_name:
        raise CAError(_("A seal needs a name."))
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, unit.name[:64]),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME,
                           SEAL_TYPE_NAMES.get(seal_type, SEAL_TYPE_NAMES[Seal.Type.SPECIAL])),
        x509.NameAttribute(NameOID.COMMON_NAME, seal_name[:64]),
    ]
    if unit.code:
        attributes.insert(3, x509.NameAttribute(NameOID.SERIAL_NUMBER, unit.code[:64]))
    if getattr(unit, "credit_code", ""):
        # organizationIdentifier (ETSI EN 319 412-1): the unit's unified social credit code.
        attributes.insert(3, x509.NameAttribute(x509.ObjectIdentifier("2.5.4.97"), f"NTRCN-{unit.credit_code}"))
    now = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=5)
    not_after = min(_years(now, settings.SEAL_CERT_YEARS), issuer_cert.not_valid_after_utc)
    issuer_ski = issuer_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attributes))
        .issuer_name(issuer_cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(issuer_ski), critical=False)
        .add_extension(_distribution_point(crl_url()), critical=False)
        .sign(issuer_key, CA_HASH())
    )
    return cert


# --- revocation --------------------------------------------------------------------------------

def _publish_crl(authority: CertificateAuthority) -> bytes:
    """Sign and store the next CRL of ``authority``: the issuing CA lists the revoked seals; the
    root's lists no issuing CA (it has never been revoked) but lets validators check the chain."""
    issuer_cert = load_certificate(authority.certificate_pem)
    issuer_key = _decrypt_key(authority)
    now = timezone.now().replace(microsecond=0)
    authority.crl_number += 1
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer_cert.subject)
        .last_update(now)
        .next_update(now + dt.timedelta(days=CRL_VALID_DAYS))
        .add_extension(x509.CRLNumber(authority.crl_number), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
            issuer_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value), critical=False)
    )
    count = 0
    if authority.kind == CertificateAuthority.Kind.ISSUING:
        revoked = (Seal.objects.filter(revoked_at__isnull=False)
                   .order_by("revoked_at", "pk").values_list("serial_number", "revoked_at", "revocation_reason"))
        for serial, revoked_at, reason in revoked.iterator(chunk_size=2000):
            try:
                number = int(serial, 16)
            except ValueError:
                continue
            count += 1
            entry = x509.RevokedCertificateBuilder().serial_number(number).revocation_date(revoked_at)
            code = CRL_REASONS.get(reason)
            if code is not None:
                entry = entry.add_extension(x509.CRLReason(code), critical=False)
            builder = builder.add_revoked_certificate(entry.build())
    der = builder.sign(issuer_key, CA_HASH()).public_bytes(serialization.Encoding.DER)
    authority.crl_der = der
    authority.crl_next_update = now + dt.timedelta(days=CRL_VALID_DAYS)
    authority.save(update_fields=["crl_number", "crl_der", "crl_next_update"])
    from zhengtong.audit.services import record

    record(actor=None, action="seals.crl.publish", obj=authority,
           summary=_("Seal revocation list published: number %(number)s, %(count)s revoked")
           % {"number": authority.crl_number, "count": count},
           changes={"kind": authority.kind, "crl_number": authority.crl_number, "revoked": count,
                    "sha256": hashlib.sha256(der).hexdigest()})
    return der


@transaction.atomic
def publish_crl(kind: str = CertificateAuthority.Kind.ISSUING) -> bytes:
    """Publish a new CRL (DER) of the issuing CA listing every revoked seal; call it after a
    revocation, in the same transaction. Increments the CRL number; valid for 7 days.
    ``kind="root"`` publishes the root's CRL (of issuing CAs) instead."""
    authority = CertificateAuthority.objects.select_for_update().filter(kind=kind).first()
    if authority is None:
        raise CANotInitialised()
    return _publish_crl(authority)


def current_crl_der(kind: str = CertificateAuthority.Kind.ISSUING) -> bytes:
    """The current CRL (DER) of the issuing CA (or the root); published anew when missing or about
    to expire."""
    authority = _authority(kind)
    der = bytes(authority.crl_der or b"")
    if (not der or authority.crl_next_update is None
            or authority.crl_next_update - CRL_REFRESH_MARGIN <= timezone.now()):
        der = publish_crl(kind)
    return der


def validation_crls() -> list[bytes]:
    """Both current CRLs (DER) [issuing, root], for a validation context that checks revocation
    along the whole chain (pyhanko-certvalidator ``ValidationContext(crls=…)``)."""
    return [current_crl_der(CertificateAuthority.Kind.ISSUING), current_crl_der(CertificateAuthority.Kind.ROOT)]


def current_crl() -> x509.CertificateRevocationList:
    return x509.load_der_x509_crl(current_crl_der())


def is_revoked(serial_number: str) -> dt.datetime | None:
    """When the seal certificate with this serial number (hex, as Seal.serial_number) was revoked."""
    normalised = (serial_number or "").replace(":", "").strip().upper().lstrip("0") or "0"
    return (Seal.objects.filter(serial_number=normalised, revoked_at__isnull=False)
            .values_list("revoked_at", flat=True).first())


def display_name(name: x509.Name) -> str:
    """A certificate name for people: its common name, else the whole name."""
    common = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(common[0].value) if common else name.rfc4514_string()
