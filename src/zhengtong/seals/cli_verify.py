"""`zhengtong seal verify FILE`: report every seal of a PDF; exit 0 only when every seal is valid.

Exit status: 0 all seals valid, 1 a seal is not valid (or none, or the joint sealing is not
finished), 2 the file cannot be read.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhengtong.seals.verification import SealReport, VerificationReport, verify_pdf


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _seal_lines(index: int, seal: SealReport) -> list[str]:
    status = _("valid") if seal.ok else _("NOT VALID")
    signed_at = timezone.localtime(seal.signed_at).strftime("%Y-%m-%d %H:%M:%S") if seal.signed_at else "—"
    lines = [
        _("Seal %(index)s (%(field)s): %(status)s") % {"index": index, "field": seal.field_name, "status": status},
        "  " + _("Unit: %(unit)s") % {"unit": seal.unit_name or "—"},
        "  " + _("Seal: %(name)s") % {"name": seal.seal_name or "—"},
        "  " + _("Certificate serial: %(serial)s") % {"serial": seal.serial or "—"},
        "  " + _("Sealed at: %(when)s%(how)s") % {
            "when": signed_at, "how": _(" (time-stamped)") if seal.timestamped else _(" (time reported by the signer)")},
        "  " + _("Content intact: %(value)s") % {"value": _yes_no(seal.intact and seal.unchanged_after)},
        "  " + _("Issued by this platform's CA: %(value)s") % {"value": _yes_no(seal.trusted)},
        "  " + _("Certificate valid when sealed: %(value)s") % {"value": _yes_no(seal.certificate_valid)},
        "  " + _("Certifying seal: %(value)s") % {"value": _yes_no(seal.certified)},
    ]
    if seal.revoked_at:
        lines.append("  " + _("Revoked on: %(when)s") % {
            "when": timezone.localtime(seal.revoked_at).strftime("%Y-%m-%d %H:%M:%S")})
    lines.extend("  ✗ " + problem for problem in seal.problems)
    return lines


def format_report(report: VerificationReport, name: str = "") -> str:
    lines = [_("File: %(name)s") % {"name": name}, "SHA-256: " + report.sha256] if name else ["SHA-256: " + report.sha256]
    for index, seal in enumerate(report.seals, start=1):
        lines.extend(_seal_lines(index, seal))
    for problem in report.problems:
        lines.append("✗ " + problem)
    if report.ok:
        lines.append("✓ " + _("Every seal is valid (%(count)s).") % {"count": len(report.seals)})
    return "\n".join(lines) + "\n"


def run(args) -> int:
    language = getattr(args, "language", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            with open(args.file, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            sys.stderr.write("✗ " + _("Cannot read %(file)s: %(error)s") % {"file": args.file, "error": exc.strerror}
                             + "\n")
            return 2
        report = verify_pdf(data)
        sys.stdout.write(format_report(report, args.file))
        return 0 if report.ok else 1
