"""Each process keeps a signed-in person's row and memberships for a moment.

Every request of a signed-in person reads their user row and their memberships (roles):
two queries before the view starts. A process keeps both for ``USER_CACHE_SECONDS``
(0: read every request). A change saved through the models (user, membership) is seen at
once by the process saving it (``common.kept.forget_on_change``, see apps.py) and within
that many seconds by the others; the session itself is read on every request, so logging
out (or a session ended by the idle timeout) takes effect at once everywhere.

Each request gets its own copy of the user (its attributes and related objects are its
own; the memberships list is shared: read it, never change it).
"""

import copy
import time

from django.conf import settings

# Bounded: a burst of distinct people empties it rather than growing without end.
MAX_KEPT = 5000

_kept: dict[int, tuple[float, object]] = {}


def kept_user(user_id, load):
    """The person ``user_id`` from this process's copy, else ``load(user_id)`` (None: no
    such active person, nothing kept)."""
    ttl = settings.USER_CACHE_SECONDS
    if ttl <= 0:
        return load(user_id)
    try:
        key = int(user_id)
    except (TypeError, ValueError):
        return load(user_id)
    now = time.monotonic()
    entry = _kept.get(key)
    if entry is None or entry[0] <= now:
        user = load(key)
        if user is None:
            _kept.pop(key, None)
            return None
        user.role_memberships  # noqa: B018 -- read now, kept with the row
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        entry = _kept[key] = (now + ttl, user)
    return _own_copy(entry[1])


def _own_copy(user):
    mine = copy.copy(user)  # Model.__getstate__: own _state and related-object cache
    mine.__dict__.pop("roles", None)  # a set: derived again from the memberships
    return mine


def forget_user_of(instance) -> None:
    """Drop the copy of the person a user or membership row belongs to (common.kept)."""
    _kept.pop(getattr(instance, "user_id", None) or instance.pk, None)


def clear_kept_users() -> None:
    _kept.clear()
