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

import rules

# The mechanics (check a permission in a view or a service) are role-free and live in
# common, so that every app can use them; they are part of this layer's interface.
from gongchuang.common.access import can, permission_required, require  # noqa: F401

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
