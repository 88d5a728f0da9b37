"""The team of a work: inviting co-authors and advisors, answering, removing members."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.accounts.models import User
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.editions.enums import Track
from gongchuang.editions.rules import ensure_edition_writable

from .. import rules
from ..enums import AuthorRole, WorkState
from ..models import Authorship, Work
from ..signals import team_invitation_created
from ..slots import profile_keys, slot_must_be_free
from .editing import window_must_be_open
from .identity import profile_for


def _locked_team_work(work: Work, actor: User) -> Work:
    locked = (
        Work.objects.select_for_update(of=("self",))
        .select_related("edition", "category")
        .get(pk=work.pk)
    )
    ensure_edition_writable(locked.edition)
    if not rules.is_creator(actor, locked):
        raise DomainError(
            _("Only the person who created the work can change its team."), code="not_creator"
        )
    if locked.state != WorkState.DRAFT:
        raise DomainError(
            _("The team can only be changed while the work is a draft."), code="not_draft"
        )
    window_must_be_open(locked.edition)
    return locked


def _invitee(work: Work, username: str) -> User:
    invitee = User.objects.filter(username=username.strip(), is_active=True).first()
    if invitee is None:
        raise DomainError(_("No registered user has this username."), code="no_such_user")
    if Authorship.objects.filter(work=work, user=invitee).exists():
        raise DomainError(_("This person is already on the work."), code="already_member")
    return invitee


def _role_terms(work: Work, invitee: User, role: str) -> tuple[str, str, int]:
    """(identity key, person key, team limit) of ``invitee`` joining ``work`` as ``role``.

    Raises DomainError when ``invitee`` cannot take that role in the work's category.
    """
    category = work.category
    if role == AuthorRole.ADVISOR:
        if category.track == Track.TEACHER:
            raise DomainError(_("Teaching cases have no advisors."), code="no_advisors")
        if not hasattr(invitee, "teacher_profile"):
            raise DomainError(_("Advisors must be registered teachers."), code="not_teacher")
        return "", "", category.max_advisors
    if role == AuthorRole.AUTHOR:
        identity_key, person_key = profile_keys(profile_for(invitee, category))
        slot_must_be_free(edition_id=work.edition_id, keys=[(identity_key, person_key)])
        return identity_key, person_key, category.max_authors
    raise ValueError(role)


@transaction.atomic
def invitation_create(*, work: Work, actor: User, username: str, role: str) -> Authorship:
    """Invite a registered person as co-author or advisor; they must accept.

    Co-authors of a student work are students of an eligible level; co-authors of
    a teaching case are teachers; advisors are teachers (student works only).
    Limits count pending invitations too. The invitee is notified.
    """
    locked = _locked_team_work(work, actor)
    invitee = _invitee(locked, username)
    identity_key, person_key, limit = _role_terms(locked, invitee, role)
    count = Authorship.objects.filter(work=locked, role=role).count()
    if count >= limit:
        raise DomainError(
            _("This category allows at most %(n)d people in this role.") % {"n": limit},
            code="team_full",
        )
    authorship = Authorship.objects.create(
        work=locked,
        edition_id=locked.edition_id,
        user=invitee,
        role=role,
        order=count,
        identity_key=identity_key,
        person_key=person_key,
    )
    audit_record(
        actor=actor,
        action="work.invite",
        obj=locked,
        after={"user": invitee.pk, "role": role},
    )
    # The invitee is told after commit (notifications listens), like every state change.
    transaction.on_commit(
        lambda: team_invitation_created.send(
            sender=Authorship, authorship=authorship, inviter=actor
        ),
        robust=True,
    )
    return authorship


@transaction.atomic
def invitation_respond(*, authorship: Authorship, actor: User, accept: bool) -> Authorship | None:
    """Accept or decline one's own pending invitation while the work is a draft."""
    locked = (
        Authorship.objects.select_for_update(of=("self", "work"))
        .select_related("work__edition")
        .get(pk=authorship.pk)
    )
    ensure_edition_writable(locked.work.edition)
    if locked.user_id != actor.pk or locked.accepted_at is not None:
        raise DomainError(_("This invitation is not open."), code="not_pending")
    if locked.work.state != WorkState.DRAFT:
        raise DomainError(
            _("The team can only be changed while the work is a draft."), code="not_draft"
        )
    if accept:
        slot_must_be_free(
            edition_id=locked.edition_id, keys=[(locked.identity_key, locked.person_key)]
        )
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["accepted_at"])
    audit_record(
        actor=actor,
        action="work.invitation_accept" if accept else "work.invitation_decline",
        obj=locked.work,
        after={"user": actor.pk, "role": locked.role},
    )
    if not accept:
        locked.delete()
        return None
    return locked


@transaction.atomic
def member_remove(*, authorship: Authorship, actor: User) -> None:
    """The creator removes a co-author/advisor (or cancels an invitation) of a draft."""
    locked = _locked_team_work(authorship.work, actor)
    if authorship.user_id == locked.created_by_id:
        raise DomainError(_("The creator cannot be removed."), code="creator")
    Authorship.objects.filter(pk=authorship.pk, work=locked).delete()
    audit_record(
        actor=actor,
        action="work.member_remove",
        obj=locked,
        before={"user": authorship.user_id, "role": authorship.role},
    )
