"""Short-lived caching of rendered fragments for anonymous visitors.

Whole pages cannot be shared between visitors: every page carries the
visitor's own CSRF token (language switch, logout). So we cache the expensive
fragment (latest notices, the showcase grid) keyed on language + path + query
string, only for anonymous visitors, whose fragment is the same for everyone.
Any change to notices or to what is public bumps a generation number, so a
publication shows at once instead of after the TTL.
"""

import hashlib

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

TTL_SECONDS = 60
PREFIX = "portal:fragment:"
GENERATION_KEY = "portal:generation"


def _generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, None)


def invalidate() -> None:
    """Forget every cached fragment (after the current transaction commits)."""

    def bump():
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            cache.set(GENERATION_KEY, 2, None)

    transaction.on_commit(bump)


def fragment_key(request, name: str) -> str:
    raw = "|".join(
        [name, str(_generation()), get_language() or "", request.path,
         request.META.get("QUERY_STRING", "")]
    )  # fmt: skip
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
