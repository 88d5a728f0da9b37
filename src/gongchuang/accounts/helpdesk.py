"""Help from the level above: staff let people back in without seeing their password.

Who helps whom (issue 17):

- a school coordinator: the students and teachers of their school(s);
- a district (or university) organiser: the school coordinators and teachers of its schools;
- the committee: anyone except committee members (and developers' superuser accounts).

Nobody helps themselves here, nor a person who holds a role at their own level or above
(an organiser does not reset another organiser, a coordinator another coordinator).
``people_in_reach`` is the one definition: the list page shows it and the permission
``accounts.help_person`` asks it.

The help itself: a link to set a new password (by e-mail and/or SMS), a one-time password
shown once to the helper (must be changed at the next login), and lifting a lockout.
The old password is never shown; every action is audited.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError

from . import onboarding
from .access import require
from .enums import Role
from .models import Invitation, Membership, User

#: Roles only the committee may help (a coordinator never resets an organiser or an expert).
_ABOVE_SCHOOL = (Role.COMMITTEE, Role.UNIT_ORGANIZER, Role.EXPERT)


def _holding(*roles: str, **scope) -> Exists:
    return Exists(Membership.objects.filter(user=OuterRef("pk"), role__in=roles, **scope))


def people_in_reach(actor) -> QuerySet[User]:
    """Everyone ``actor`` may help (see the module docstring); empty for anyone else."""
    people = User.objects.exclude(pk=actor.pk).exclude(is_superuser=True)
    if not actor.is_authenticated:
        return people.none()
    if actor.is_committee:
        return people.exclude(_holding(Role.COMMITTEE))
    reach = Q(pk__in=[])
    units = actor.unit_ids_for(Role.UNIT_ORGANIZER)
    if units:
        coordinators = _holding(Role.SCHOOL_COORDINATOR, school__unit_id__in=units)
        reach |= Q(teacher_profile__unit_id__in=units) | Q(coordinators)
    schools = actor.school_ids_for(Role.SCHOOL_COORDINATOR)
    if schools:
        of_school = Q(student_profile__school_id__in=schools) | Q(
            teacher_profile__school_id__in=schools
        )
        # A coordinator's reach stops at other coordinators (unless an organiser also helps).
        reach |= of_school & ~Q(_holding(Role.SCHOOL_COORDINATOR))
    if not units and not schools:
        return people.none()
    return people.filter(reach).exclude(_holding(*_ABOVE_SCHOOL)).exclude(is_staff=True)


def can_help(actor, person) -> bool:
    if person is None or not getattr(actor, "is_authenticated", False):
        return False
    return people_in_reach(actor).filter(pk=person.pk).exists()


def people_matching(actor, query: str) -> QuerySet[User]:
    """People in reach whose name, username, e-mail or mobile matches ``query``."""
    people = people_in_reach(actor)
    query = query.strip()
    if query:
        people = people.filter(
            Q(real_name__icontains=query)
            | Q(username__icontains=query)
            | Q(email__iexact=query)
            | Q(mobile=query)
        )
    return people.select_related("student_profile__school", "teacher_profile__school").order_by(
        "real_name", "username", "pk"
    )


# --- Lockout ---------------------------------------------------------------------------------


def _sign_in_names(person: User) -> list[str]:
    """What someone may type in the login form's username field for this account."""
    return [name for name in (person.username, person.email, person.mobile) if name]


def _attempts(person: User):
    from axes.models import AccessAttempt  # axes is an installed app; import when asked

    names = _sign_in_names(person)
    variants = {n for name in names for n in (name, name.lower())}
    return AccessAttempt.objects.filter(username__in=variants)


def locked_names(people) -> set[int]:
    """Primary keys of ``people`` locked out now (failures at the limit within the cool-off)."""
    from axes.models import AccessAttempt

    people = list(people)
    owners = {}
    for person in people:
        for name in _sign_in_names(person):
            owners[name] = owners[name.lower()] = person.pk
    if not owners:
        return set()
    since = timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    attempts = AccessAttempt.objects.filter(
        username__in=list(owners),
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=since,
    ).values_list("username", flat=True)
    return {owners[name] for name in attempts}


def is_locked(person: User) -> bool:
    return person.pk in locked_names([person])


@transaction.atomic
def account_unlock(*, actor, person: User) -> int:
    """Lift ``person``'s lockout (every address); returns how many attempt records went."""
    require(actor, "accounts.help_person", person, message=_("You cannot help this person."))
    _refuse_inactive(person)
    removed, _details = _attempts(person).delete()
    audit_record(actor=actor, action="account.help_unlock", obj=person, after={"removed": removed})
    return removed


# --- New password ----------------------------------------------------------------------------


def _refuse_inactive(person: User) -> None:
    if not person.is_active:
        raise DomainError(
            _("This account is disabled; it cannot be helped from here."), code="inactive"
        )


def reset_link_send(*, actor, person: User, request=None):
    """Send ``person`` a link to set a new password (e-mail and/or SMS, whichever exists)."""
    require(actor, "accounts.help_person", person, message=_("You cannot help this person."))
    _refuse_inactive(person)
    if not (person.email or person.mobile):
        raise DomainError(
            _(
                "This account has neither an e-mail address nor a mobile number to send a link "
                "to. Give a one-time password instead."
            ),
            code="no_channel",
        )
    with transaction.atomic():
        invitation = onboarding.send_invitation(
            person, by=actor, request=request, purpose=Invitation.Purpose.RESET
        )
        audit_record(actor=actor, action="account.help_reset_link", obj=person)
    return invitation


@transaction.atomic
def one_time_password_give(*, actor, person: User) -> str:
    """A new one-time password for ``person`` (shown once to ``actor``; changed at login).

    Also lifts a lockout: the helper reads the password out to someone who must be able to
    use it at once."""
    require(actor, "accounts.help_person", person, message=_("You cannot help this person."))
    _refuse_inactive(person)
    password = onboarding.give_one_time_password(person, by=actor)
    _attempts(person).delete()
    audit_record(actor=actor, action="account.help_one_time_password", obj=person)
    return password


# --- What the helper sees --------------------------------------------------------------------


def describe(person: User) -> dict:
    """The facts a helper needs to recognise the person (a minor's guardian phone masked)."""
    student = getattr(person, "student_profile", None)
    teacher = getattr(person, "teacher_profile", None)
    school = (student or teacher).school if (student or teacher) else None
    guardian = ""
    if student is not None and student.guardian_phone and student.is_minor:
        guardian = student.masked_guardian_phone
    return {
        "kind": _("Student") if student else _("Teacher") if teacher else _role_label(person),
        "school": school.name if school else "",
        "guardian_phone": guardian,
        "email": person.email,
        "mobile": person.mobile,
        "never_logged_in": person.last_login is None,
    }


def _role_label(person: User) -> str:
    labels = dict(Role.choices)
    return "、".join(str(labels[m.role]) for m in person.role_memberships) or "—"
