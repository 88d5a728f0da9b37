"""Standing checks: migrations in step with models, complete Chinese catalogues, deploy settings."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_migrations_match_models():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)


def test_chinese_catalogues_are_complete():
    catalogues = list(ROOT.glob("locale/zh_Hans/LC_MESSAGES/django.po")) + list(
        (ROOT / "src").rglob("locale/zh_Hans/LC_MESSAGES/django.po")
    )
    assert catalogues
    problems = []
    for path in catalogues:
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags or not (entry.msgstr or any(entry.msgstr_plural.values())):
                problems.append(f"{path.relative_to(ROOT)}: {entry.msgid[:60]!r}")
    assert problems == []


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "false",
        "HTTPS": "true",
        "SECRET_KEY": "x" * 20 + "-production-secret-key-0123456789-abcdefghijklmnop",
        "IDENTITY_HASH_KEY": "identity-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "gongchuang.example.cn",
        "SITE_URL": "https://gongchuang.example.cn",
        "GONGCHUANG_VAR_DIR": str(tmp_path),
        "STATICFILES_STORAGE": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_unix_socket_database_url_reaches_the_socket_directory(tmp_path):
    """postgres://user@%2Fvar%2Frun%2Fpostgresql/db: the host is the socket directory, decoded."""
    env = {
        **os.environ,
        "GONGCHUANG_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://postgres@%2Fvar%2Frun%2Fpostgresql/gongchuang",
    }
    code = "from django.conf import settings; print(settings.DATABASES['default']['HOST'])"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "/var/run/postgresql"
