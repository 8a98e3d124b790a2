from django.core.management.base import BaseCommand, CommandError

from zhengtong.ops import backup
from zhengtong.ops.console import OpsError, operator_language


class Command(BaseCommand):
    help = "Write a backup archive (.tar.gz) of the database, the stored files and the keys."

    def add_arguments(self, parser):
        backup.add_backup_arguments(parser)

    def handle(self, *args, **options):
        with operator_language():
            try:
                backup.create_backup(options["file"], overwrite=options["overwrite"], stdout=self.stdout)
            except OpsError as exc:
                raise CommandError(exc.message, returncode=exc.code) from exc
