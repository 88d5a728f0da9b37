"""Who may see a student's personal data in full, and the masked form for everyone else.

Rule (issue 8, DOMAIN.md): minors' names, phones and schools are masked everywhere
except for the student themself, the people on the same work (co-authors and
advisors), the organizer of the student's own unit, the coordinator of the
student's own school and the committee. Anonymous visitors always see masked
names (public lists), adults or not.

Use these helpers in every template or export that shows a student:
``display_name_for(viewer, student)``, ``display_school_for(viewer, student)``,
``display_phone_for(viewer, student)``; and call ``audit_personal_data_view`` when
staff open a page showing a student's personal data in full.
"""

from django.db import transaction

from gongchuang.common.audit import audit_record
from gongchuang.common.masking import mask_name, mask_phone, mask_text

from . import personal_data
from .enums import Role


def _profile(student):
    # RelatedObjectDoesNotExist is an AttributeError: not a student.
    return getattr(student, "student_profile", None)


def can_see_personal_data(viewer, student) -> bool:
    """True when ``viewer`` may see ``student``'s name, phone and school in full."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    if viewer.pk == student.pk or viewer.is_committee:
        return True
    profile = _profile(student)
    if profile is None:
        return True  # not a student (teacher, staff): nothing to protect here
    unit_ids, school_ids = _scope(viewer)
    if profile.unit_id in unit_ids or profile.school_id in school_ids:
        return True
    if not profile.is_minor:
        return True
    # Co-authors and advisors are students and teachers; staff never share a work.
    if viewer.roles & {Role.STUDENT, Role.TEACHER}:
        return personal_data.related(viewer, student)
    return False


def _scope(viewer) -> tuple[set[int], set[int]]:
    """Units the viewer organizes and schools they coordinate, computed once per viewer
    object (list pages call the display helpers once per row)."""
    scope = getattr(viewer, "_privacy_scope", None)
    if scope is None:
        scope = (
            viewer.unit_ids_for(Role.UNIT_ORGANIZER),
            viewer.school_ids_for(Role.SCHOOL_COORDINATOR),
        )
        viewer._privacy_scope = scope
    return scope


def display_name_for(viewer, student) -> str:
    if can_see_personal_data(viewer, student):
        return student.display_name
    return mask_name(student.real_name) or "***"


def display_school_for(viewer, student) -> str:
    profile = _profile(student)
    if profile is None:
        return ""
    name = profile.school.name
    return name if can_see_personal_data(viewer, student) else mask_text(name)


def display_phone_for(viewer, student) -> str:
    """The student's phone, or the guardian's for a minor without one. A guardian's
    number is always shown masked to staff (issue 17: a minor's guardian phone is
    shown masked); only the student sees it whole."""
    if student.mobile:
        shown = can_see_personal_data(viewer, student)
        return student.mobile if shown else mask_phone(student.mobile)
    profile = _profile(student)
    if profile is None:
        return ""
    own = getattr(viewer, "pk", None) == student.pk
    return profile.guardian_phone if own else mask_phone(profile.guardian_phone)


def audit_personal_data_view(*, actor, subject, what: str = "") -> None:
    """Record that staff ``actor`` viewed ``subject``'s personal data (not for self-views)."""
    if actor is None or getattr(actor, "pk", None) == subject.pk:
        return
    with transaction.atomic():
        audit_record(actor=actor, action="privacy.view", obj=subject, reason=what)
