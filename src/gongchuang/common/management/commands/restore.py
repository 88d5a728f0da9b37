from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from gongchuang.common.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Rebuild an EMPTY instance (database + media) from a backup archive, verifying checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive, **options):
        try:
            manifest = restore_backup(Path(archive))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        # A backup made before the cache moved into the database has no cache table.
        call_command("createcachetable", verbosity=0)
        rows = sum(manifest["database"]["row_counts"].values())
        files = len(manifest["media"])
        self.stdout.write(f"Restored {rows} rows and {files} files from {archive}.")
