from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhengtong.ops import backup
from zhengtong.ops.console import OpsError, confirm, operator_language


class Command(BaseCommand):
    help = "Verify a backup archive, then replace the database, the stored files and the keys with it."

    def add_arguments(self, parser):
        backup.add_restore_arguments(parser)

    def handle(self, *args, **options):
        def confirmed(manifest) -> bool:
            return options["yes"] or confirm(_("This replaces the current database, stored files and keys "
                                               "with the backup. Continue?"), stdout=self.stdout)

        with operator_language():
            try:
                backup.restore_backup(options["file"], confirm=confirmed, check_only=options["check_only"],
                                      stdout=self.stdout)
            except OpsError as exc:
                raise CommandError(exc.message, returncode=exc.code) from exc
