"""What each `zhengtong` subcommand does once Django is configured (zhengtong.cli parses the arguments)."""

from __future__ import annotations

import logging
import sys

from zhengtong.ops.console import OpsError


def cmd_serve(args) -> int:
    from zhengtong.ops.serve import serve

    return serve(host=args.host, port=args.port, workers=args.workers, threads=args.threads,
                 with_worker=not args.no_worker, stdout=sys.stdout)


def cmd_worker(args) -> int:
    from django.core.management import call_command
    from django.utils.translation import gettext as _

    sys.stdout.write(_("Background worker started. Press Ctrl+C to stop.") + "\n")
    sys.stdout.flush()
    # run_huey gives the "huey" logger a handler of its own; without this every line shows twice
    logging.getLogger("huey").propagate = False
    # On SIGHUP huey restarts by exec'ing `python *sys.argv`; give it the command line we were started
    # with (`-m zhengtong worker` or the `zhengtong` script), not the path of zhengtong/__main__.py.
    sys.argv = list(sys.orig_argv[1:])
    call_command("run_huey")
    return 0


def cmd_migrate(args, compiled: int) -> int:
    from django.core.management import call_command
    from django.utils.translation import gettext as _

    if compiled:
        sys.stdout.write(_("Compiled %(count)d message catalogue(s).") % {"count": compiled} + "\n")
    call_command("migrate", interactive=False, verbosity=1)
    call_command("createcachetable", verbosity=0)
    sys.stdout.write(_("The database is up to date.") + "\n")
    return 0


def _require_command(name: str, missing_message: str) -> None:
    from django.core.management import get_commands


    if name not in get_commands():
        raise OpsError(missing_message)


def cmd_demo(args) -> int:
    from django.core.management import call_command
    from django.utils.translation import gettext as _

    _require_command("demo", _("The demo data is not available in this version (no `demo` command)."))
    call_command("demo", if_empty=args.if_empty)
    return 0


def cmd_createadmin(args) -> int:
    from zhengtong.ops import admin

    admin.run(vars(args), stdin=sys.stdin, stdout=sys.stdout)
    return 0


def cmd_backup(args) -> int:
    from zhengtong.ops.backup import create_backup

    create_backup(args.file, overwrite=args.overwrite, stdout=sys.stdout)
    return 0


def cmd_restore(args) -> int:
    from zhengtong.ops.backup import restore_backup

    restore_backup(args.file, confirm=lambda manifest: _confirm_restore(args.yes), check_only=args.check_only,
                   stdout=sys.stdout)
    return 0


def _confirm_restore(yes: bool) -> bool:
    from django.utils.translation import gettext as _

    from zhengtong.ops.console import confirm

    if yes:
        return True
    return confirm(_("This replaces the current database, stored files and keys with the backup. Continue?"))


def cmd_ca(args) -> int:
    """`zhengtong ca init|root|crl`: implemented by the seals app (seals/cli_ca.py)."""
    from zhengtong.seals.cli_ca import run

    return run(args)


def cmd_seal(args) -> int:
    """`zhengtong seal verify FILE`: implemented by the seals app (seals/cli_verify.py)."""
    from zhengtong.seals.cli_verify import run

    return run(args)


def cmd_audit(args) -> int:
    from django.core.management import call_command
    from django.utils.translation import gettext as _

    _require_command("audit_verify", _("Audit verification is not available in this version."))
    try:
        options = {name: getattr(args, name) for name in ("batch_size", "anchor", "language")
                   if getattr(args, name, None) is not None}
        call_command("audit_verify", **options)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


def cmd_check(args) -> int:
    from zhengtong.ops.checks import report, run_checks

    return report(run_checks(), sys.stdout)
