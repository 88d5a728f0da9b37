"""Short-lived caching of what anonymous visitors see.

Fragments (latest notices, the showcase grid) and, for the busiest public pages, the whole
page are keyed on language + path + query string and shared by every anonymous visitor.
A whole page carries the visitor's own CSRF token (the language switch is a POST form):
the cached copy keeps a placeholder where the token was, filled with each visitor's own
token when it is served. Any change to notices or to what is public bumps a generation
number, so a publication shows at once instead of after the TTL.
"""

import hashlib
import re
from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
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


CSRF_PLACEHOLDER = "__gongchuang_csrf_token__"
_PAGE_TOKEN = re.compile(r'"X-CSRFToken": "([A-Za-z0-9]+)"')
_ANY_TOKEN = re.compile(r'(?:"X-CSRFToken": "|name="csrfmiddlewaretoken" value=")([A-Za-z0-9]+)"')


def anonymous_page(freshness):
    """Serve a public page to anonymous visitors from the cache (TTL_SECONDS at most).

    ``freshness(request, *args, **kwargs) -> str`` adds what must change the page at once
    beyond the generation number (e.g. the moment results were published). Logged-in people
    and visitors with a message waiting get the page rendered for them. On publication day
    a hit costs a cache read and one string replacement instead of a render.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.is_authenticated or len(messages.get_messages(request)):
                return view(request, *args, **kwargs)
            key = fragment_key(request, "page|" + freshness(request, *args, **kwargs))
            cached = cache.get(key)
            if cached is None:
                response = view(request, *args, **kwargs)
                cached = _shareable(response)
                if cached is not None:
                    cache.set(key, cached, TTL_SECONDS)
                return response
            body, headers = cached  # bytes: no decoding or encoding of a 300 KB page per hit
            token = get_token(request).encode()
            return HttpResponse(body.replace(CSRF_PLACEHOLDER.encode(), token), headers=headers)

        return wrapped

    return decorator


def _shareable(response) -> tuple[bytes, dict] | None:
    """(body with the CSRF token replaced by the placeholder, headers), or None when the
    response must not be shared (not a plain 200 HTML page, cookies, an unknown token)."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if not response.get("Content-Type", "").startswith("text/html"):
        return None
    body = response.content.decode(response.charset)
    found = _PAGE_TOKEN.search(body)
    if found:
        body = body.replace(found.group(1), CSRF_PLACEHOLDER)
    if _ANY_TOKEN.search(body.replace(CSRF_PLACEHOLDER, "")):
        return None  # a second token (another render's): never hand it to someone else
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    return body.encode(response.charset), headers
