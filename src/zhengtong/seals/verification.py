"""验章: check every seal (PAdES signature) of a PDF against the platform's CA and its CRL.

For each seal the report says whose seal it is (unit and seal name from the certificate), when
it was applied (the RFC 3161 time-stamp when there is one, else the time the signer reported),
whether the certificate chains to our root and was valid then, whether the seal was revoked —
and whether before or after it was applied: a seal applied after its revocation is invalid, one
applied before stays valid — and whether the document is intact: the signed bytes hash to the
signed digest and nothing was changed afterwards except what the certification allows (the
co-issuing units' seals). Whatever file comes in, the answer is a report, never an exception.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.x509.oid import NameOID
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.core.asyncsafe import call_outside_event_loop

logger = logging.getLogger(__name__)


@dataclass
class SealReport:
    """One seal (signature field) of the PDF."""

    field_name: str
    sealed: bool = True  # False: an empty field still waiting for its seal (联合盖章 under way)
    unit_name: str = ""
    unit_code: str = ""
    seal_name: str = ""
    seal_type: str = ""
    serial: str = ""
    fingerprint: str = ""
    signed_at: dt.datetime | None = None
    timestamped: bool = False
    certificate_valid: bool = False  # within its validity period when the seal was applied
    not_after: dt.datetime | None = None
    trusted: bool = False  # chains to the platform's root
    revoked_at: dt.datetime | None = None
    revoked_before_signing: bool = False
    intact: bool = False  # the signed bytes are unchanged
    unchanged_after: bool = False  # nothing but allowed changes (later seals) after it
    covers_whole_file: bool = False
    certified: bool = False
    seal: object | None = None  # the Seal row, when the certificate is one of ours
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (self.sealed and self.intact and self.unchanged_after and self.trusted and self.certificate_valid
                and not self.revoked_before_signing and not self.problems)

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


@dataclass
class VerificationReport:
    """The whole file: ``ok`` only when it holds at least one seal and every seal is valid."""

    ok: bool
    problems: list[str] = field(default_factory=list)
    seals: list[SealReport] = field(default_factory=list)
    pending_fields: list[str] = field(default_factory=list)
    sha256: str = ""
    size: int = 0

    @property
    def valid_count(self) -> int:
        return sum(1 for report in self.seals if report.ok)


def _name_attr(name: x509.Name, oid) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def _trust_material():
    """(root, issuing) as asn1crypto certificates and the CRL, or None when there is no CA yet."""
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization

    from zhengtong.seals import ca

    try:
        issuing, root = ca.chain()
    except ca.CAError:
        return None
    as_asn1 = [asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)) for cert in (root, issuing)]
    try:
        crl = ca.current_crl()
    except Exception:  # a CRL that cannot be made or read: revocation falls back to the seal rows
        logger.exception("could not load the current CRL")
        crl = None
    if crl is not None and not crl.is_signature_valid(issuing.public_key()):
        crl = None
    return as_asn1[0], as_asn1[1], crl


def _revoked_at(serial: int, serial_text: str, crl) -> dt.datetime | None:
    from zhengtong.seals import ca

    found = []
    if crl is not None:
        entry = crl.get_revoked_certificate_by_serial_number(serial)
        if entry is not None:
            found.append(entry.revocation_date_utc)
    from_db = ca.is_revoked(serial_text)
    if from_db is not None:
        found.append(from_db)
    return min(found) if found else None


def _validation_context(root, issuing, moment: dt.datetime | None):
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(trust_roots=[root], other_certs=[issuing], allow_fetching=False,
                             revocation_mode="soft-fail", moment=moment, best_signature_time=moment)


def _check_one(embedded, trust) -> SealReport:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko.sign.validation import validate_pdf_signature

    from zhengtong.seals import ca
    from zhengtong.seals.models import Seal

    report = SealReport(field_name=str(embedded.field_name))
    try:
        cert = x509.load_der_x509_certificate(embedded.signer_cert.dump())
    except Exception:
        report.problems.append(_("The seal's certificate cannot be read."))
        return report
    subject = cert.subject
    report.seal_name = _name_attr(subject, NameOID.COMMON_NAME)
    report.unit_name = _name_attr(subject, NameOID.ORGANIZATION_NAME)
    report.unit_code = _name_attr(subject, NameOID.SERIAL_NUMBER)
    report.seal_type = _name_attr(subject, NameOID.ORGANIZATIONAL_UNIT_NAME)
    report.serial = ca.serial_hex(cert)
    report.fingerprint = ca.fingerprint(cert)
    report.not_after = cert.not_valid_after_utc
    report.seal = Seal.objects.select_related("unit").filter(serial_number=report.serial).first()
    if report.seal is not None and report.seal.fingerprint != report.fingerprint:
        report.seal = None  # same serial, another certificate: not ours
    report.certified = embedded.docmdp_level is not None

    signed_at = embedded.self_reported_timestamp
    tst = embedded.attached_timestamp_data
    moment = signed_at
    root, issuing, crl = trust if trust else (None, None, None)
    try:
        context = _validation_context(root, issuing, moment) if trust else None
        status = call_outside_event_loop(validate_pdf_signature, embedded, signer_validation_context=context)
    except Exception as exc:  # malformed CMS, unsupported algorithm …
        logger.info("seal validation failed: %s", exc)
        report.problems.append(_("The seal could not be checked: the signature data is damaged."))
        return report
    if tst is not None and status.timestamp_validity is not None:
        report.timestamped = True
        if status.timestamp_validity.intact and status.timestamp_validity.valid:
            signed_at = status.timestamp_validity.timestamp
        else:
            report.problems.append(_("The time-stamp of the seal is not valid."))
    report.signed_at = signed_at
    report.intact = bool(status.intact and status.valid)
    if trust:
        report.trusted = bool(status.trusted)
    when = signed_at or timezone.now()
    report.certificate_valid = cert.not_valid_before_utc <= when <= cert.not_valid_after_utc
    coverage = status.coverage
    report.covers_whole_file = coverage == SignatureCoverageLevel.ENTIRE_FILE
    if report.covers_whole_file:
        report.unchanged_after = True
    elif coverage == SignatureCoverageLevel.ENTIRE_REVISION:
        level = status.modification_level
        report.unchanged_after = bool(status.docmdp_ok) and level is not None and level <= ModificationLevel.FORM_FILLING
    report.revoked_at = _revoked_at(cert.serial_number, report.serial, crl)
    if report.revoked_at is not None and (signed_at is None or report.revoked_at <= signed_at):
        report.revoked_before_signing = True

    if not report.intact:
        report.problems.append(_("The signed content does not match the seal: the file was altered."))
    elif not report.unchanged_after:
        report.problems.append(_("The document was changed after this seal was applied."))
    if trust is None:
        report.problems.append(_("The platform has no certificate authority yet; the seal cannot be trusted."))
    elif not report.trusted:
        report.problems.append(_("The seal's certificate was not issued by this platform's certificate authority."))
    if not report.certificate_valid:
        report.problems.append(_("The seal's certificate was not valid when the seal was applied."))
    if report.revoked_before_signing:
        report.problems.append(_("The seal had been revoked on %(date)s, before it was applied.") % {
            "date": timezone.localtime(report.revoked_at).strftime("%Y-%m-%d %H:%M")})
    return report


def verify_pdf(data: bytes) -> VerificationReport:
    """Check every seal of ``data``; see the module docstring. Never raises on bad input."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields

    data = bytes(data or b"")
    report = VerificationReport(ok=False, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    if b"%PDF-" not in data[:1024]:
        report.problems.append(_("The file is not a PDF."))
        return report
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
        report.pending_fields = [str(name) for name, value, _ref in fields.enumerate_sig_fields(reader)
                                 if value is None]
    except Exception as exc:
        logger.info("unreadable PDF: %s", exc)
        report.problems.append(_("The PDF is damaged and cannot be read; it may have been altered."))
        return report
    if not embedded:
        report.problems.append(_("The file carries no electronic seal."))
        return report
    trust = _trust_material()
    for signature in embedded:
        try:
            report.seals.append(_check_one(signature, trust))
        except Exception:  # never a 500 on a strange file
            logger.exception("seal check failed")
            failed = SealReport(field_name=str(getattr(signature, "field_name", "") or "?"))
            failed.problems.append(_("The seal could not be checked: the signature data is damaged."))
            report.seals.append(failed)
    if report.pending_fields:
        report.problems.append(_("%(count)s seal field(s) are still empty: the joint sealing is not finished.")
                               % {"count": len(report.pending_fields)})
    invalid = [item for item in report.seals if not item.ok]
    if invalid:
        report.problems.append(_("%(count)s of %(total)s seal(s) are not valid.")
                               % {"count": len(invalid), "total": len(report.seals)})
    report.ok = not invalid and not report.pending_fields
    return report
