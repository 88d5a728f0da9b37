"""Conflicts of interest between a final judge and a finalist work (as in the online review).

A judge may not score a work when they share a school or an organising unit with
the work or any of its authors and advisors, or when they are on the work themselves.
"""

from gongchuang.accounts.models import User
from gongchuang.submissions.models import Work


def person_orgs(user: User) -> tuple[set[int], set[int]]:
    """(school ids, unit ids) a person belongs to: role memberships and profiles."""
    schools: set[int] = set()
    units: set[int] = set()
    for m in user.role_memberships:
        if m.school_id:
            schools.add(m.school_id)
        if m.unit_id:
            units.add(m.unit_id)
    for name in ("student_profile", "teacher_profile"):
        profile = getattr(user, name, None) if _has_profile(user, name) else None
        if profile is not None:
            schools.add(profile.school_id)
            units.add(profile.unit_id)
    return schools, units


def _has_profile(user: User, name: str) -> bool:
    try:
        getattr(user, name)
    except Exception:
        return False
    return True


def work_orgs(work: Work) -> tuple[set[int], set[int], set[int]]:
    """(school ids, unit ids, user ids) of a work and everyone on it."""
    schools, units, people = {work.school_id}, {work.unit_id}, set()
    for authorship in work.authorships.all():
        people.add(authorship.user_id)
        s, u = person_orgs(authorship.user)
        schools |= s
        units |= u
    return schools, units, people


def has_conflict(judge: User, work: Work) -> bool:
    j_schools, j_units = person_orgs(judge)
    w_schools, w_units, people = work_orgs(work)
    return judge.pk in people or bool(j_schools & w_schools) or bool(j_units & w_units)
