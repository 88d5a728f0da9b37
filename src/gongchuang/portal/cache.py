"""Short-lived caching of what anonymous visitors see.

Fragments (latest notices, the showcase grid) and, for the busiest public pages, the whole
page are keyed on language + path + query string and shared by every anonymous visitor.
A whole page carries the visitor's own CSRF token (the language switch is a POST form):
the cached copy keeps a placeholder where the token was, filled with each visitor's own
token when it is served. Any change to notices or to what is public sets a new generation
token, so a publication shows at once instead of after the TTL — in every process: the
token lives in the shared cache (``default``: the database on the embedded default, Redis
at scale) and is read once per request, while the pages themselves are each process's own
copies (``local``), found under the current token only. A hit costs one small read of the
shared cache instead of reading a 300 KB page from it (measured in docs/deploy.md).
"""

import hashlib
import re
import secrets
from functools import wraps

from django.contrib import messages
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

TTL_SECONDS = 60
PREFIX = "portal:fragment:"
GENERATION_KEY = "portal:generation"
PAGES = "local"  # settings.CACHES alias of the process's own copies


def _new_generation() -> str:
    # Never a number counted up from 1: after the shared cache is emptied (a restart of
    # Redis, cache.clear()) a counter would start again at a value old copies were kept under.
    return secrets.token_hex(8)


def _generation(request) -> str:
    """The current generation token from the shared cache, read once per request."""
    token = getattr(request, "_portal_generation", None)
    if token is None:
        token = cache.get_or_set(GENERATION_KEY, _new_generation, None)
        request._portal_generation = token
    return token


def invalidate() -> None:
    """Forget every cached fragment and page, in every process (once the current
    transaction commits)."""
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, _new_generation(), None))


def fragment_key(request, name: str) -> str:
    raw = "|".join(
        [name, _generation(request), get_language() or "", request.path,
         request.META.get("QUERY_STRING", "")]
    )  # fmt: skip
    return PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def cached_fragment(request, name: str, render) -> str:
    """``render()`` → HTML string; cached for TTL_SECONDS when the visitor is anonymous."""
    if request.user.is_authenticated:
        return render()
    key = fragment_key(request, name)
    html = caches[PAGES].get(key)
    if html is None:
        html = render()
        caches[PAGES].set(key, html, TTL_SECONDS)
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
            cached = caches[PAGES].get(key)
            if cached is None:
                response = view(request, *args, **kwargs)
                cached = _shareable(response)
                if cached is not None:
                    caches[PAGES].set(key, cached, TTL_SECONDS)
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
