"""Checking a permission by the django-rules registry: the mechanics of the access layer.

Who holds which permission is decided above: the role predicates live in
``accounts.access`` and each app's ``rules.py`` names its permissions. This module
knows no roles, so every app (``common`` included) can check a permission here.
"""

from collections.abc import Callable
from functools import wraps

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .errors import DomainError


def can(user, perm: str, obj=None) -> bool:
    """Whether ``user`` holds ``perm`` (on ``obj``) by the rules registry."""
    return rules.has_perm(perm, user, obj)


def require(actor, perm: str, obj=None, *, message: str | None = None) -> None:
    """Services: refuse with a Chinese DomainError (code ``forbidden``) unless ``actor`` may."""
    if not can(actor, perm, obj):
        raise DomainError(message or _("You are not allowed to do this."), code="forbidden")


def permission_required(perm: str, *, obj: Callable | None = None):
    """Views: require a signed-in user holding ``perm``.

    ``obj(request, *args, **kwargs)``, when given, fetches the object the
    permission is checked on (raise Http404 there for a missing one). Role
    checks cost at most one query per request: ``User.role_memberships`` reads
    the memberships once (often already in the middleware) and keeps them.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            target = obj(request, *args, **kwargs) if obj is not None else None
            if not can(request.user, perm, target):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.permission_required = perm
        return wrapped

    return decorator
