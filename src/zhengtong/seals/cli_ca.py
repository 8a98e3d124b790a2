"""`zhengtong ca init|root|crl`: the platform's seal certificate authority from the command line.

Exit codes: 0 done; 1 refused (the CA exists already, or does not exist yet); 2 the CA's key
cannot be decrypted (wrong ZHENGTONG_SEAL_CA_PASSPHRASE); 3 the output file cannot be written.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.utils.translation import gettext as _

from zhengtong.ops.console import operator_language


def run(args, *, stdout=None, stderr=None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    from zhengtong.seals import ca

    with operator_language():
        try:
            if args.ca_command == "init":
                return _init(args, stdout)
            if args.ca_command == "root":
                stdout.write(ca.root_certificate_pem())
                stdout.flush()
                return 0
            if args.ca_command == "crl":
                return _crl(args, stdout, stderr)
        except ca.CAKeyUnreadable as exc:
            stderr.write(f"✗ {exc}\n")
            return 2
        except ca.CAError as exc:
            stderr.write(f"✗ {exc}\n")
            return 1
    stderr.write(_("Unknown action: %(action)s") % {"action": args.ca_command} + "\n")
    return 1


def _init(args, stdout) -> int:
    from zhengtong.seals import ca

    root, issuing = ca.init_ca(organisation=getattr(args, "name", None) or None)
    root_cert = ca.load_certificate(root.certificate_pem)
    issuing_cert = ca.load_certificate(issuing.certificate_pem)
    stdout.write("✓ " + _("The seal certificate authority was created.") + "\n")
    stdout.write("  " + _("Root CA: %(subject)s, valid until %(until)s") % {
        "subject": ca.display_name(root_cert.subject), "until": f"{root.not_after:%Y-%m-%d}"} + "\n")
    stdout.write("  " + _("Seal-issuing CA: %(subject)s, valid until %(until)s") % {
        "subject": ca.display_name(issuing_cert.subject), "until": f"{issuing.not_after:%Y-%m-%d}"} + "\n")
    stdout.write("  " + _("Root certificate SHA-256 fingerprint: %(fingerprint)s") % {
        "fingerprint": ":".join(f"{b:02X}" for b in bytes.fromhex(ca.fingerprint(root_cert)))} + "\n")
    stdout.write("  " + _("Give recipients the root certificate (`zhengtong ca root` or /seals/root.pem) and "
                          "this fingerprint, so they can verify the seals.") + "\n")
    return 0


def _crl(args, stdout, stderr) -> int:
    from zhengtong.seals import ca

    der = ca.current_crl_der()
    output = getattr(args, "output", None)
    if not output or output == "-":
        buffer = getattr(stdout, "buffer", None)
        if buffer is None:
            stderr.write("✗ " + _("The CRL is binary: give a file with --output.") + "\n")
            return 1
        buffer.write(der)
        buffer.flush()
        return 0
    try:
        Path(output).write_bytes(der)
    except OSError as exc:
        stderr.write("✗ " + _("Cannot write %(file)s: %(error)s") % {"file": output, "error": exc.strerror} + "\n")
        return 3
    crl = ca.current_crl()
    stdout.write("✓ " + _("Certificate revocation list written to %(file)s: %(count)d revoked, next update %(next)s")
                 % {"file": output, "count": len(crl), "next": f"{crl.next_update_utc:%Y-%m-%d %H:%M} UTC"} + "\n")
    return 0
