"""Which profile (student or teacher) takes part with a work, and whether it may."""

from django.utils.translation import gettext as _

from gongchuang.accounts.models import User
from gongchuang.common.errors import DomainError
from gongchuang.editions.enums import Track
from gongchuang.editions.models import Category


def profile_for(user: User, category: Category):
    """The author's student or teacher profile matching the category's track.

    Raises DomainError when ``user`` has no such profile or (students) when their
    education level cannot take part in ``category``.
    """
    if category.track == Track.TEACHER:
        profile = getattr(user, "teacher_profile", None)
        if profile is None:
            raise DomainError(
                _("Only registered teachers can submit a teaching case."), code="not_teacher"
            )
        return profile
    profile = getattr(user, "student_profile", None)
    if profile is None:
        raise DomainError(
            _("Only registered students can submit works in this category."), code="not_student"
        )
    if not category.accepts_level(profile.level):
        raise DomainError(
            _("Your education level cannot take part in the category “%(category)s”.")
            % {"category": category.name},
            code="level_not_eligible",
        )
    return profile
