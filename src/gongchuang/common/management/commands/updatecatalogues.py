"""Update every translation catalogue from the source (``./scripts/messages`` runs this).

Each app under ``src/gongchuang/`` has its own catalogue (``<app>/locale``), made by
running ``makemessages`` inside the app's directory, so references read
``views.py:12``; the project catalogue (``locale/``: ``src/templates``, ``src/config``)
is made from the repository root with the apps left out. Catalogues are written
``--no-obsolete``: a string gone from the source leaves its catalogue.

``makemessages`` runs without the project's settings (its default: the ``locale``
directory next to the files), so ``--root`` can point at a copy of the tree
(``tests/test_catalogues.py`` does).
"""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

LANGUAGE = "zh_Hans"
# Never scanned: environments, assets, tests, runtime files, benchmarks.
IGNORED = (".venv", "node_modules", "tests", "var", "bench", "staticfiles", "static")


def catalogue_languages(locale_dir: Path) -> list[str]:
    """zh_Hans, plus every other language that already has a catalogue here (e.g. ``en``)."""
    found = {p.parent.parent.name for p in locale_dir.glob("*/LC_MESSAGES/django.po")}
    return [LANGUAGE, *sorted(found - {LANGUAGE})]


def app_dirs(root: Path) -> list[Path]:
    return sorted(p.parent for p in (root / "src" / "gongchuang").glob("*/apps.py"))


class Command(BaseCommand):
    help = "Update every app's and the project's translation catalogues from the source."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--root", default=str(settings.BASE_DIR), help="repository root")

    def handle(self, *args, root, **options):
        root = Path(root)
        for app in app_dirs(root):
            # An app without a catalogue gets one once it has a translatable string.
            locale = app / "locale"
            created = not locale.exists()
            locale.mkdir(exist_ok=True)
            self._makemessages(app, catalogue_languages(locale))
            if created and not any(locale.iterdir()):
                locale.rmdir()
        apps = os.path.relpath(root / "src" / "gongchuang", root)
        self._makemessages(root, catalogue_languages(root / "locale"), ignore=[apps, "docs"])
        self.stdout.write(f"Updated the catalogues of {len(app_dirs(root))} apps and the project.")

    def _makemessages(self, cwd: Path, languages: list[str], ignore: list[str] = ()) -> None:
        command = [sys.executable, "-P", "-m", "django", "makemessages", "--no-obsolete", "-v0"]
        command += [f"--locale={language}" for language in languages]
        command += [f"--ignore={pattern}" for pattern in (*IGNORED, *ignore)]
        # -P: the app directory must not shadow standard modules (an app's selectors.py).
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        subprocess.run(command, cwd=cwd, env=env, check=True)  # noqa: S603 (our own arguments)
