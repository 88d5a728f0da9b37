"""Where a form may send the browser back to."""

from django.utils.http import url_has_allowed_host_and_scheme


def local_path(request, url: str | None) -> str:
    """``url`` if it is a path on this site ("/…"), else "".

    Safe to redirect to: never another site, and never taken for a URL name by
    ``django.shortcuts.redirect`` (which would fail with NoReverseMatch on, say, "abc").
    """
    if not url or not url.startswith("/"):
        return ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else ""
