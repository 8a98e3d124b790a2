"""``audit_verify`` (``zhengtong audit verify``): check the audit trail's hash chain from end to end."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhengtong.audit.actions import label_for
from zhengtong.audit.verify import DEFAULT_BATCH_SIZE, VerificationResult, verify_chain

EXIT_BROKEN = 1
ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


class Command(BaseCommand):
    help = ("Verify the audit trail's hash chain. Exits with status 1 and names the first bad record "
            "when a record was altered, removed or inserted out of order.")

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE,
                            help="records read per query (default %(default)s)")
        parser.add_argument("--anchor", metavar="SEQ:HASH",
                            help="a record number and hash noted earlier (e.g. from the nightly log) "
                                 "that must still be in the chain")
        parser.add_argument("--language", choices=[code for code, _name in settings.LANGUAGES],
                            default=settings.LANGUAGE_CODE, help="language of the report (default %(default)s)")

    def handle(self, *args, batch_size: int, anchor: str | None, language: str, verbosity: int, **options):
        with translation.override(language):
            if batch_size < 1:
                raise CommandError(_("The batch size must be a positive number."), returncode=2)
            anchor_pair = None
            if anchor:
                match = ANCHOR.match(anchor.strip().lower())
                if match is None:
                    raise CommandError(_("The anchor must look like SEQ:HASH, a record number and its "
                                         "64-character hash."), returncode=2)
                anchor_pair = (int(match[1]), match[2])

            def progress(checked: int) -> None:
                if verbosity >= 2:
                    self.stderr.write(_("%(count)d records checked…") % {"count": checked})

            outcome = verify_chain(batch_size=batch_size, anchor=anchor_pair, progress=progress)
            self._report(outcome)
            if not outcome.ok:
                raise CommandError(_("The audit chain is broken at record %(seq)d.") % {"seq": outcome.problem.seq},
                                   returncode=EXIT_BROKEN)

    def _report(self, outcome: VerificationResult) -> None:
        if outcome.ok:
            self.stdout.write(self.style.SUCCESS(
                _("The audit chain is intact: %(count)d records checked in %(seconds).1f s.")
                % {"count": outcome.checked, "seconds": outcome.seconds}))
            self.stdout.write(_("Chain head: record %(seq)d, hash %(hash)s") % {"seq": outcome.head_seq,
                                                                             "hash": outcome.head_hash})
            self.stdout.write(_("Keep this line outside the database; later, check it with --anchor %(seq)d:%(hash)s")
                              % {"seq": outcome.head_seq, "hash": outcome.head_hash})
            return
        problem = outcome.problem
        record = problem.record
        self.stdout.write(self.style.ERROR(_("The audit chain is broken. The first bad record:")))
        rows = [
            (_("Sequence number"), str(problem.seq)),
            (_("Time"), timezone.localtime(record.occurred_at).strftime("%Y-%m-%d %H:%M:%S")
             if record is not None else _("(record missing)")),
            (_("Action"), _action(record.action) if record is not None else "—"),
            (_("Actor"), (record.actor_name or "—") if record is not None else "—"),
            (_("Object"), (record.object_repr or "—") if record is not None else "—"),
            (_("Reason"), problem.explanation),
        ]
        for label, value in rows:
            self.stdout.write("  " + _("%(label)s: %(value)s") % {"label": label, "value": value})
        self.stdout.write(_("%(count)d records before it are intact; the chain head is record %(seq)d.")
                          % {"count": outcome.checked, "seq": outcome.head_seq})


def _action(code: str) -> str:
    label = label_for(code)
    return code if label == code else f"{label} ({code})"
