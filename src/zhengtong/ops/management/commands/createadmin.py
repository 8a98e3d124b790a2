import sys

from django.core.management.base import BaseCommand, CommandError

from zhengtong.ops import admin
from zhengtong.ops.console import OpsError, operator_language


class Command(BaseCommand):
    help = "Create the first platform operator (and unit admin), registering the 政务信息中心 unit if needed."

    def add_arguments(self, parser):
        admin.add_arguments(parser)

    def handle(self, *args, **options):
        with operator_language():
            try:
                admin.run(options, stdin=options.get("stdin") or sys.stdin, stdout=self.stdout)
            except OpsError as exc:
                raise CommandError(exc.message, returncode=exc.code) from exc
