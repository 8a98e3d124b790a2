"""The `zhengtong` command: serve, worker, migrate, demo, createadmin, backup, restore, audit verify,
check and a passthrough to Django's manage.

Django is configured only once a subcommand needs it, so `zhengtong --help` works anywhere. What the
operator reads is in the installation's language (Chinese by default); help texts are English.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from zhengtong import __version__

_SETUP_DONE = False


class _ConfigurationFailure(Exception):
    pass


def _setup() -> None:
    """Configure Django (settings from the environment) and speak the installation's language."""
    global _SETUP_DONE
    if _SETUP_DONE:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengtong.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    from zhengtong.env import ConfigurationError

    try:
        django.setup()
    except (ConfigurationError, ImproperlyConfigured) as exc:
        raise _ConfigurationFailure(str(exc)) from exc
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    _SETUP_DONE = True


def _parser() -> argparse.ArgumentParser:
    from zhengtong.ops import admin, backup, serve

    parser = argparse.ArgumentParser(
        prog="zhengtong",
        description="Zhengtong (政通) e-government office platform: serve it, run its worker, migrate, "
                    "back up and restore, check the installation. Settings come from ZHENGTONG_* "
                    "environment variables (docs/configuration.md).")
    parser.add_argument("--version", action="version", version=f"zhengtong {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = commands.add_parser("serve", help="run the web server and the background worker",
                            description="Check that the database is migrated, collect static files when "
                                        "they changed, then run the web server (granian, WSGI) and the "
                                        "background worker (huey) until Ctrl+C or SIGTERM.")
    serve.add_serve_arguments(p)
    commands.add_parser("worker", help="run the background worker (huey consumer) alone",
                        description="Run the huey consumer: reminders, escalations, reports and other "
                                    "background tasks.")
    p = commands.add_parser("migrate", help="create or upgrade the database, compile message catalogues",
                            description="Apply Django migrations, create the cache table and compile "
                                        "missing message catalogues.")
    p = commands.add_parser("demo", help="load the demo district (units, people, roles)",
                            description="Load the fictional demo district into the database.")
    p.add_argument("--if-empty", action="store_true", help="do nothing when the database already has units")
    p = commands.add_parser("createadmin", help="create the first platform operator",
                            description="Create a platform operator (and unit admin) in the 政务信息中心 unit, "
                                        "registering the unit when needed; prints the one-time password.")
    admin.add_arguments(p)
    p = commands.add_parser("backup", help="write a backup archive of the database, files and keys",
                            description="Write one .tar.gz with a consistent snapshot of the database "
                                        "(SQLite online backup or pg_dump), the stored files, the keys of "
                                        "the data directory and a manifest with checksums. The archive "
                                        "holds the keys: keep it as safe as the server.")
    backup.add_backup_arguments(p)
    p = commands.add_parser("restore", help="restore a backup archive (replaces the database and files)",
                            description="Verify the whole archive (checksums, format, database kind), "
                                        "ask for confirmation, then replace the database, the stored files "
                                        "and the keys. Stop the server and the worker first.")
    backup.add_restore_arguments(p)
    p = commands.add_parser("audit", help="audit trail tools: `zhengtong audit verify`",
                            description="Audit trail tools.")
    audit = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    p = audit.add_parser("verify", help="verify the hash chain of the audit trail",
                         description="Verify the audit trail's hash chain; exits non-zero and names the first "
                                     "bad record when a record was altered, removed or inserted.")
    p.add_argument("--batch-size", type=int, help="records read per database query")
    p.add_argument("--anchor", metavar="SEQ:HASH",
                   help="a record number and hash noted earlier (e.g. printed on paper); a cut tail is "
                        "caught even when the chain head was rewritten too")
    p.add_argument("--language", choices=["zh-hans", "en"], help="language of the report")
    p = commands.add_parser("ca", help="the platform's seal certificate authority: `zhengtong ca init|root|crl`",
                            description="The internal certificate authority that issues the units' electronic seals.")
    ca = p.add_subparsers(dest="ca_command", metavar="ACTION", required=True)
    p = ca.add_parser("init", help="create the root CA and the seal-issuing CA (once)",
                      description="Create the root CA and the seal-issuing CA; their keys are stored encrypted.")
    p.add_argument("--name", help="the organisation named in the CA certificates (default: the site name)")
    ca.add_parser("root", help="print the root certificate (PEM), for verifying seals with other tools")
    p = ca.add_parser("crl", help="write the current certificate revocation list (DER) to a file or stdout")
    p.add_argument("--output", "-o", help="file to write (default: standard output)")
    p = commands.add_parser("seal", help="electronic seal tools: `zhengtong seal verify FILE`",
                            description="Electronic seal tools.")
    seal = p.add_subparsers(dest="seal_command", metavar="ACTION", required=True)
    p = seal.add_parser("verify", help="verify every seal in a PDF (exits non-zero when one is not valid)",
                        description="Report each seal of a PDF: unit, certificate validity, revocation, integrity.")
    p.add_argument("file", help="the PDF file")
    p.add_argument("--language", choices=["zh-hans", "en"], help="language of the report")
    commands.add_parser("check", help="check the installation (exits non-zero on any failure)",
                        description="Django's system checks plus Zhengtong's: data directory writable, "
                                    "database reachable and migrated, front-end assets, message catalogues, "
                                    "working-day calendar, task queue storage.")
    commands.add_parser("manage", help="run a Django management command: zhengtong manage COMMAND ...",
                        description="Passthrough to Django's manage.py, e.g. `zhengtong manage shell`.",
                        add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv[:1] == ["manage"]:
            return _manage(argv[1:])
        args = _parser().parse_args(argv)
        return _run(args)
    except _ConfigurationFailure as exc:
        # Django is not configured, so nothing can be translated: the operator is Chinese-speaking.
        sys.stderr.write(f"✗ 配置有误（见 docs/configuration.md）：{exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        return 130


def _run(args: argparse.Namespace) -> int:
    from zhengtong.ops.console import OpsError

    if args.command == "migrate":  # before Django loads any catalogue
        from zhengtong.ops.catalogues import compile_catalogues

        try:
            compiled = compile_catalogues()
        except OSError as exc:  # a read-only installation: `zhengtong check` will name what is missing
            sys.stderr.write(f"⚠ {exc}\n")
            compiled = 0
    _setup()
    from django.core.management import CommandError
    from django.db import DatabaseError

    try:
        from zhengtong.ops import commands

        handler = getattr(commands, f"cmd_{args.command}")
        if args.command == "migrate":
            return handler(args, compiled)
        return handler(args)
    except OpsError as exc:
        sys.stderr.write(f"✗ {exc.message}\n")
        return exc.code
    except CommandError as exc:
        sys.stderr.write(f"✗ {exc}\n")
        return exc.returncode or 1
    except DatabaseError as exc:
        from zhengtong.ops.console import database_error

        sys.stderr.write(f"✗ {database_error(exc)}\n")
        return 1


def _manage(rest: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengtong.settings")
    from django.core.management import execute_from_command_line

    from zhengtong.env import ConfigurationError

    try:
        execute_from_command_line(["zhengtong manage", *rest])
    except ConfigurationError as exc:
        raise _ConfigurationFailure(str(exc)) from exc
    return 0
