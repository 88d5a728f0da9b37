"""One public address (SITE_URL) and secrets from the environment: the helper and the checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gongchuang.common.site import absolute_url, site_domain, site_scheme
from gongchuang.common.site_checks import check_secrets_from_environment, check_site_url

ROOT = Path(__file__).resolve().parents[2]
SQLITE = "gongchuang.common.db.sqlite"
POSTGRES = "django.db.backends.postgresql"


def test_absolute_url_joins_site_url_and_path_without_a_double_slash(settings):
    settings.SITE_URL = "https://gongchuang.example.cn/"
    assert absolute_url("/final/verify/AB12/") == "https://gongchuang.example.cn/final/verify/AB12/"
    assert (site_scheme(), site_domain()) == ("https", "gongchuang.example.cn")


@pytest.mark.parametrize("path", ["final/verify/", "//evil.example/x", "https://evil.example/"])
def test_absolute_url_refuses_anything_but_a_site_path(settings, path):
    settings.SITE_URL = "https://gongchuang.example.cn"
    with pytest.raises(ValueError):
        absolute_url(path)


def _site_errors(settings, *, site_url, hosts, debug=False) -> list[str]:
    settings.DEBUG, settings.ALLOWED_HOSTS, settings.SITE_URL = debug, hosts, site_url
    return [error.id for error in check_site_url()]


@pytest.mark.parametrize(
    ("site_url", "hosts", "expected"),
    [
        # unset: the settings' default
        ("http://127.0.0.1:8000", ["gongchuang.example.cn"], ["gongchuang.E002"]),
        ("", ["gongchuang.example.cn"], ["gongchuang.E001"]),
        ("gongchuang.example.cn", ["gongchuang.example.cn"], ["gongchuang.E001"]),
        ("http://localhost:9001", ["gongchuang.example.cn", "localhost"], ["gongchuang.E002"]),
        ("https://other.example.cn", ["gongchuang.example.cn"], ["gongchuang.E003"]),
        ("https://gongchuang.example.cn", ["*"], []),
        ("https://gongchuang.example.cn", ["gongchuang.example.cn", "127.0.0.1"], []),
        ("https://www.example.cn:8443", [".example.cn"], []),
    ],
)
def test_site_url_check_on_a_public_server(settings, site_url, hosts, expected):
    assert _site_errors(settings, site_url=site_url, hosts=hosts) == expected


def test_site_url_check_leaves_a_laptop_and_debug_alone(settings):
    loopback = ["127.0.0.1", "localhost", "[::1]", "testserver"]
    assert _site_errors(settings, site_url="http://127.0.0.1:8000", hosts=loopback) == []
    public = ["gongchuang.example.cn"]
    assert _site_errors(settings, site_url="http://127.0.0.1:8000", hosts=public, debug=True) == []


def _secret_errors(settings, *, engine, https, generated) -> list[str]:
    settings.DATABASES = {"default": {**settings.DATABASES["default"], "ENGINE": engine}}
    settings.HTTPS, settings.GENERATED_SECRETS = https, generated
    return [error.msg.split()[0] for error in check_secrets_from_environment()]


@pytest.mark.parametrize(
    ("engine", "https", "generated", "expected"),
    [
        (POSTGRES, False, ["SECRET_KEY", "IDENTITY_HASH_KEY"], ["SECRET_KEY", "IDENTITY_HASH_KEY"]),
        (POSTGRES, False, ["IDENTITY_HASH_KEY"], ["IDENTITY_HASH_KEY"]),
        (SQLITE, True, ["SECRET_KEY"], ["SECRET_KEY"]),
        (POSTGRES, True, [], []),
        (SQLITE, False, ["SECRET_KEY", "IDENTITY_HASH_KEY"], []),  # one laptop: var/ is fine
    ],
)
@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")  # the check only reads it
def test_secrets_check(settings, engine, https, generated, expected):
    assert _secret_errors(settings, engine=engine, https=https, generated=generated) == expected


def _settings_env(tmp_path, **extra) -> dict:
    env = {**os.environ, "GONGCHUANG_VAR_DIR": str(tmp_path), **extra}
    for key in ("DATABASE_URL", "SECRET_KEY", "IDENTITY_HASH_KEY", "SITE_URL", "DEBUG", "HTTPS"):
        if key not in extra:
            env.pop(key, None)
    return env


def _run(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_settings_record_which_secrets_were_generated(tmp_path):
    code = "from django.conf import settings as s; print(s.GENERATED_SECRETS)"
    result = _run(_settings_env(tmp_path, SECRET_KEY="k" * 50), "manage.py", "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "['IDENTITY_HASH_KEY']"
    assert (tmp_path / "identity_key").exists() and not (tmp_path / "secret_key").exists()


def test_a_public_server_with_the_default_site_url_refuses_to_start(tmp_path):
    """manage.py (migrate, check, the workers) and the WSGI application both refuse."""
    env = _settings_env(tmp_path, ALLOWED_HOSTS="gongchuang.example.cn")
    check = _run(env, "manage.py", "check")
    assert check.returncode == 1
    assert "gongchuang.E002" in check.stderr
    wsgi = _run(env, "-c", "import sys; sys.path.insert(0, 'src'); import config.wsgi")
    assert wsgi.returncode == 1
    assert "ImproperlyConfigured" in wsgi.stderr and "gongchuang.E002" in wsgi.stderr


def test_a_shared_database_with_generated_secrets_refuses_to_start(tmp_path):
    env = _settings_env(
        tmp_path,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/unused",
        SECRET_KEY="s" * 50,
    )
    check = _run(env, "manage.py", "check")
    assert check.returncode == 1
    assert "gongchuang.E004" in check.stderr and "IDENTITY_HASH_KEY" in check.stderr
    assert "SECRET_KEY comes from" not in check.stderr
    good = _run({**env, "IDENTITY_HASH_KEY": "i" * 50}, "manage.py", "check")
    assert good.returncode == 0, good.stderr
    # A build step is no start: ./scripts/test compiles the catalogues whatever the environment.
    build = _run(env, "manage.py", "compiletranslations")
    assert build.returncode == 0, build.stderr


def test_absolute_links_are_built_only_by_the_helper():
    """No request-host links (build_absolute_uri, {{ domain }}) and no SITE_URL read elsewhere."""
    allowed = {
        "gongchuang/common/site.py",
        "gongchuang/common/site_checks.py",
        "config/settings.py",
    }
    patterns = ("build_absolute_uri", "settings.SITE_URL", "{{ domain }}", "{{ protocol }}://")
    found = []
    for path in (ROOT / "src").rglob("*"):
        if path.suffix not in (".py", ".html", ".txt", ".js") or "locale" in path.parts:
            continue
        name = str(path.relative_to(ROOT / "src"))
        text = path.read_text(encoding="utf-8")
        found += [f"{name}: {p}" for p in patterns if p in text and name not in allowed]
    assert found == []
