"""The committee's answers to a possible duplicate person: merge or void an account.

Both close the other account (inactive, ``voided_at`` and a reason on its profile)
and are audited on the account(s) concerned in the same transaction.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError

from .enums import Role
from .models import Membership, StudentProfile, User
from .personal_data import sources

REASON_MAX = 200


def _locked_students(*pks: int) -> dict[int, User]:
    users = {
        u.pk: u
        for u in User.objects.select_for_update(of=("self",))
        .filter(pk__in=pks)
        .select_related("student_profile")
        .order_by("pk")
    }
    for pk in pks:
        user = users.get(pk)
        if user is None or not hasattr(user, "student_profile"):
            raise DomainError(_("This account is not a student account."), code="not_student")
        if user.student_profile.voided_at is not None:
            raise DomainError(
                _("The account %(username)s has already been voided.")
                % {"username": user.username},
                code="already_void",
            )
    return users


def _close(user: User, *, reason: str) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])
    StudentProfile.objects.filter(user=user).update(
        voided_at=timezone.now(), void_reason=reason[:REASON_MAX]
    )


@transaction.atomic
def student_void(*, user: User, actor: User, reason: str) -> User:
    """Void a student account (no more login; its works stay for the usual review)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Please give the reason for voiding this account."), code="reason")
    locked = _locked_students(user.pk)[user.pk]
    _close(locked, reason=reason)
    audit_record(
        actor=actor,
        action="account.void",
        obj=locked,
        before={"active": user.is_active},
        after={"active": False},
        reason=reason,
    )
    return locked


@transaction.atomic
def student_merge(*, duplicate: User, into: User, actor: User, reason: str = "") -> User:
    """Move the works, authorships and roles of ``duplicate`` to ``into``; void ``duplicate``.

    Refused (nothing changes) when both accounts are on one work, or both hold the
    one-work slot of the same edition: the committee settles that first (withdrawal,
    disqualification) — a merge never gives one child two works.
    """
    if duplicate.pk == into.pk:
        raise DomainError(_("An account cannot be merged into itself."), code="same_account")
    users = _locked_students(duplicate.pk, into.pk)
    dup, kept = users[duplicate.pk], users[into.pk]
    moved = {}
    for source in sources():
        if source.merge:
            moved.update(source.merge(dup, kept))
    roles = _move_memberships(dup, kept)
    text = reason.strip() or _("Merged into %(username)s") % {"username": kept.username}
    _close(dup, reason=text)
    after = {"into": kept.pk, **moved, "memberships": roles}
    audit_record(actor=actor, action="account.merge", obj=dup, after=after, reason=text)
    audit_record(
        actor=actor, action="account.merge_into", obj=kept, after={"from": dup.pk}, reason=text
    )
    return kept


def _move_memberships(dup: User, kept: User) -> int:
    """Move the roles ``kept`` lacks; a student keeps their own school (one student role)."""
    have = {(m.role, m.unit_id, m.school_id) for m in kept.memberships.all()}
    moved = 0
    for membership in dup.memberships.exclude(role=Role.STUDENT):
        if (membership.role, membership.unit_id, membership.school_id) in have:
            continue
        Membership.objects.filter(pk=membership.pk).update(user=kept)
        moved += 1
    kept.__dict__.pop("roles", None)
    kept.__dict__.pop("role_memberships", None)
    return moved
