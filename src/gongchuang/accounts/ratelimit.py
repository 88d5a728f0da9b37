"""Per-address limits on the login and registration forms (fixed windows in the cache).

Counts POSTs per client address (``common.middleware.client_ip``, which believes
X-Forwarded-For only from our own proxy) in windows of ``<SCOPE>_RATE_LIMIT_WINDOW_SECONDS``;
past ``<SCOPE>_RATE_LIMIT_PER_IP`` the form answers 429 with a Chinese page until the
window ends. The axes lockout (username + address) still applies under the limit.
IPv6 clients are counted per /64, the block one household or lab usually gets.
"""

import functools
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from gongchuang.common.middleware import client_ip


def _address_key(ip: str | None) -> str:
    if not ip:
        return "unknown"
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def attempt_allowed(*, scope: str, ip: str | None) -> tuple[bool, int]:
    """Count one attempt of ``scope`` ("login", "registration") from ``ip``.

    Returns whether it is within the limit, and the seconds until the window ends.
    """
    limit = getattr(settings, f"{scope.upper()}_RATE_LIMIT_PER_IP")
    window = getattr(settings, f"{scope.upper()}_RATE_LIMIT_WINDOW_SECONDS")
    now = int(time.time())
    start = now - now % window
    key = f"ratelimit:{scope}:{_address_key(ip)}:{start}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired or was evicted between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count <= limit, start + window - now


def rate_limited(scope: str):
    """View decorator: POSTs beyond the per-address limit of ``scope`` get a 429 page."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                allowed, retry_after = attempt_allowed(scope=scope, ip=client_ip(request))
                if not allowed:
                    response = render(
                        request,
                        "accounts/rate_limited.html",
                        {"scope": scope, "minutes": max(1, -(-retry_after // 60))},
                        status=429,
                    )
                    response["Retry-After"] = str(retry_after)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
