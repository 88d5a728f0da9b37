"""The one access layer: who may do what, decided in one place.

Built on django-rules, the way pretalx uses it:

- **Role predicates** live here (``is_committee``, ``is_unit_organizer`` …) and
  are composed with ``&``, ``|`` and ``~``. Object-level predicates (``can_edit``
  a work, ``can_give_statement`` on an objection) live in the owning app's
  ``rules.py``, which also names each permission with ``rules.add_perm``:
  ``"<app>.<action>"``, e.g. ``"judging.manage"``.
- **Views** declare the permission they need with :func:`permission_required`
  (anonymous visitors are sent to the login page, others get a 403).
- **Services** call :func:`require` (a Chinese ``DomainError`` with code
  ``forbidden``) or :func:`can` for a yes/no.

Permissions are checked against the rules registry only (``rules.has_perm``),
never Django's table-backed permissions: a denied check costs no query. Each
app's ``rules.py`` is imported by its ``AppConfig.ready`` so the registry is
complete before the first request.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from gongchuang.common.errors import DomainError

from .enums import Role


def _holds(role: str):
    def check(user) -> bool:
        return bool(user.is_authenticated and role in user.roles)

    check.__name__ = f"holds_{role}"
    return rules.predicate(check)


is_committee = _holds(Role.COMMITTEE)
is_expert = _holds(Role.EXPERT)
is_teacher = _holds(Role.TEACHER)
is_student = _holds(Role.STUDENT)
is_signed_in = rules.is_authenticated


@rules.predicate
def is_unit_organizer(user) -> bool:
    """Organises at least one district or university (a unit-less membership organises none)."""
    return bool(user.is_authenticated and user.unit_ids_for(Role.UNIT_ORGANIZER))


@rules.predicate
def is_school_coordinator(user) -> bool:
    """Coordinates at least one school (a school-less membership coordinates none)."""
    return bool(user.is_authenticated and user.school_ids_for(Role.SCHOOL_COORDINATOR))


@rules.predicate
def organises_unit(user, unit) -> bool:
    """``unit`` (a Unit, or None for the whole city) is one this person organises."""
    return bool(
        unit is not None
        and user.is_authenticated
        and unit.pk in user.unit_ids_for(Role.UNIT_ORGANIZER)
    )


#: Committee or a district/university organiser: the people who run a level of the activity.
is_organiser = is_committee | is_unit_organizer


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
