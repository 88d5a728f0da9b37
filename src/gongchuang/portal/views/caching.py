"""Short-lived caching of rendered fragments for anonymous visitors.

Whole pages cannot be shared between visitors: every page carries the
visitor's own CSRF token (language switch, logout). So we cache the expensive
fragment (notices, the showcase grid) keyed on language + path + query string,
and only for anonymous visitors, whose fragment is the same for everyone.
"""

import hashlib

from django.core.cache import cache
from django.utils.translation import get_language

TTL_SECONDS = 60
PREFIX = "portal:fragment:"


def fragment_key(request, name: str) -> str:
    raw = f"{name}|{get_language()}|{request.path}|{request.META.get('QUERY_STRING', '')}"
    return PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def cached_fragment(request, name: str, render) -> str:
    """``render()`` → HTML string; cached for TTL_SECONDS when the visitor is anonymous."""
    if request.user.is_authenticated:
        return render()
    key = fragment_key(request, name)
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, TTL_SECONDS)
    return html
