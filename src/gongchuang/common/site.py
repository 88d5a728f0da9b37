"""The platform's one public address (``SITE_URL``) and every absolute link built on it.

Certificates are printed and e-mails are kept: a link in them must name the address the
public uses, the same on every app server, never the host a request happened to arrive on
(``request.build_absolute_uri`` would put a forged ``Host`` header, or one server's own
name, into a password-reset mail or onto a certificate). Every absolute link of the
platform — certificate QR codes and printed addresses, e-mail bodies, feeds, the sitemap,
``robots.txt`` and the portal's Open Graph tags — comes from :func:`absolute_url`.
``gongchuang.common.site_checks`` refuses a production start whose ``SITE_URL`` is the
laptop default or names a host that is not served.
"""

from urllib.parse import urlsplit

from django.conf import settings


def site_url() -> str:
    """``SITE_URL`` without a trailing slash, e.g. ``https://gongchuang.example.cn``."""
    return settings.SITE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """The public address of ``path`` (a site path such as ``reverse()`` returns).

    Raises ``ValueError`` for anything but a path starting with a single ``/``: an address
    that is already absolute, or relative, is a bug at the caller.
    """
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError(f"absolute_url() takes a site path starting with '/', not {path!r}")
    return f"{site_url()}{path}"


def site_scheme() -> str:
    """``http`` or ``https``, as in ``SITE_URL``."""
    return urlsplit(settings.SITE_URL).scheme


def site_domain() -> str:
    """Host (and port, and any path prefix) of ``SITE_URL``: ``gongchuang.example.cn``."""
    parts = urlsplit(site_url())
    return f"{parts.netloc}{parts.path}"
