"""System checks that keep several app servers (and printed certificates) consistent.

Registered with the ``config`` tag: ``manage.py migrate``/``check`` and the task workers run
them like every system check, and ``config/wsgi.py`` runs them again at start (gunicorn runs
no system check of its own), so a misconfigured server refuses to start.

- ``SITE_URL`` (the public address in every certificate QR code and e-mail link, see
  ``gongchuang.common.site``) must be set, must not be a loopback address, and its host
  must be one of ``ALLOWED_HOSTS`` — whenever ``DEBUG`` is off and ``ALLOWED_HOSTS`` names a
  host other than a loopback one (a laptop started by ``./scripts/serve`` stays untouched).
- ``SECRET_KEY`` and ``IDENTITY_HASH_KEY`` must come from the environment once the database
  is not SQLite or ``HTTPS`` is on: the keys generated under ``var/`` differ by host, so with
  two app servers sessions would break and a student's identity hash would differ by host.
"""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register
from django.http.request import split_domain_port, validate_host

TAG = "config"
LOOPBACK_NAMES = {"localhost", "testserver"}  # testserver: Django's test client


def is_loopback(host: str) -> bool:
    """True for ``localhost``, ``127.0.0.1``, ``[::1]``… (the hosts only this machine reaches)."""
    host = host.strip().lower().strip("[]")
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _serves_the_public() -> bool:
    return not settings.DEBUG and any(not is_loopback(h) for h in settings.ALLOWED_HOSTS)


@register(TAG)
def check_site_url(app_configs=None, **kwargs) -> list[Error]:
    """gongchuang.E001–E003: a public ``SITE_URL`` whenever the server serves the public."""
    if not _serves_the_public():
        return []
    value = settings.SITE_URL or ""
    parts = urlsplit(value)
    hint = "Set SITE_URL to the public address, e.g. SITE_URL=https://gongchuang.example.cn"
    if not value or parts.scheme not in ("http", "https") or not parts.netloc:
        return [
            Error(
                f"SITE_URL is {value!r}, not an http:// or https:// address; certificate QR "
                "codes and e-mail links are built from it.",
                hint=hint,
                id="gongchuang.E001",
            )
        ]
    host, _port = split_domain_port(parts.netloc)
    if is_loopback(host):
        return [
            Error(
                f"SITE_URL is {value!r} (unset, or a loopback address) while ALLOWED_HOSTS "
                f"serves {', '.join(settings.ALLOWED_HOSTS)}: every certificate QR code and "
                "e-mail link would point at this machine.",
                hint=hint,
                id="gongchuang.E002",
            )
        ]
    if not validate_host(host, settings.ALLOWED_HOSTS):
        return [
            Error(
                f"The host of SITE_URL ({host}) is not one of ALLOWED_HOSTS "
                f"({', '.join(settings.ALLOWED_HOSTS)}): its links would be refused.",
                hint="Make SITE_URL the public address and list its host in ALLOWED_HOSTS.",
                id="gongchuang.E003",
            )
        ]
    return []


@register(TAG)
def check_secrets_from_environment(app_configs=None, **kwargs) -> list[Error]:
    """gongchuang.E004: no per-host generated secret where several hosts may serve."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if "sqlite" in engine and not settings.HTTPS:
        return []
    return [
        Error(
            f"{name} comes from a file generated under var/ on this host, but the database "
            "is shared (not SQLite) or HTTPS is on: each app server would have its own "
            f"{name} (sessions break; a student's identity hash differs by host).",
            hint=f"Set {name} in the environment, the same value on every server.",
            id="gongchuang.E004",
        )
        for name in settings.GENERATED_SECRETS
    ]
