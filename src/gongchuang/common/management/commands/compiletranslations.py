"""Compile every .po catalogue of the project to .mo without GNU gettext (pure Python)."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the project's translation catalogues (.po → .mo)."
    # Like Django's compilemessages: a build step, run before the environment is complete
    # (./scripts/test with DATABASE_URL but no SECRET_KEY must still compile).
    requires_system_checks = []

    def handle(self, *args, **options):
        roots = [settings.BASE_DIR / "locale", settings.SRC_DIR]
        count = 0
        for root in roots:
            for po_path in Path(root).rglob("LC_MESSAGES/*.po"):
                polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
                count += 1
        self.stdout.write(f"Compiled {count} catalogue(s).")
