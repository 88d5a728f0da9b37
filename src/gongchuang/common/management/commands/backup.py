from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from gongchuang.common.backup import create_backup


class Command(BaseCommand):
    help = "Write a consistent backup archive (database + media + sha256 manifest)."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="archive path (default: var/backups/gongchuang-<time>.tar.gz)")

    def handle(self, *args, output=None, **options):
        from django.conf import settings

        path = Path(output or settings.VAR_DIR / "backups" / f"gongchuang-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        manifest = create_backup(path)
        rows = sum(manifest["database"]["row_counts"].values())
        self.stdout.write(f"Backup written to {path}: {rows} rows, {len(manifest['media'])} files.")
