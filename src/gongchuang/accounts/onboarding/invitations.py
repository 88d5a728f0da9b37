"""Invitations: a single-use link by e-mail and/or SMS to set one's first password.

Contract: the token is random and only its SHA-256 is stored (``Invitation.token_hash``);
a link is valid ``INVITATION_VALID_DAYS`` days and once; a new invitation revokes the open
ones of the same person; sending and accepting are audited (never the token). The message
is the committee-editable kind ``account.invitation`` (notifications), sent through
``accounts.outbox.contacts_send`` after commit.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError

from .. import outbox
from ..models import Invitation, User
from ..passwords import password_change_audit

KIND = "account.invitation"
RESET_KIND = "account.password_help"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_valid_for() -> datetime.timedelta:
    return datetime.timedelta(days=settings.INVITATION_VALID_DAYS)


def contact_channels(user: User) -> list[str]:
    """Where an invitation can reach ``user``: "email" and/or "sms"."""
    if user.is_anonymised:
        return []
    return [name for name, value in (("email", user.email), ("sms", user.mobile)) if value]


@transaction.atomic
def send_invitation(
    user: User, *, by, request=None, purpose: str = Invitation.Purpose.INVITE
) -> Invitation:
    """Send ``user`` a new set-password link (e-mail and/or SMS, whichever they have) and
    revoke the links sent before. DomainError when the account is inactive or has
    neither an e-mail address nor a mobile number (print a credentials sheet then).

    The caller checks that ``by`` may invite ``user``. ``request`` is accepted for
    symmetry with ``onboard``; links are built on ``SITE_URL``, never on the request.
    The returned row carries the link's site path as ``.link`` (not stored: only the
    token's hash is), for the caller that must hand it on itself (tests, the demo).
    ``purpose`` RESET: staff helping someone who forgot the password of an account in use
    (accounts.helpdesk); the message and the link page say "new password" then.
    """
    user = User.objects.select_for_update().get(pk=user.pk)  # one open link per person
    channels = contact_channels(user)
    if not user.is_active or user.is_anonymised:
        raise DomainError(_("This account is disabled."), code="inactive")
    if not channels:
        raise DomainError(
            _(
                "%(name)s has neither an e-mail address nor a mobile number: "
                "print a credentials sheet instead."
            )
            % {"name": user.display_name},
            code="no_contact",
        )
    now = timezone.now()
    replaced = Invitation.objects.filter(
        user=user, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        user=user,
        created_by=by if getattr(by, "pk", None) else None,
        created_at=now,
        expires_at=now + invitation_valid_for(),
        token_hash=_hash(token),
        channels=channels,
        purpose=purpose,
    )
    expires = timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M")
    context = {
        "name": user.display_name,
        "username": user.username,
        "inviter": _inviter_name(by),
        "expires": expires,
    }
    path = invitation.link = reverse("accounts:invitation", args=[token])
    kind = KIND if purpose == Invitation.Purpose.INVITE else RESET_KIND
    outbox.contacts_send(user=user, kind=kind, context=context, url=path, channels=channels)
    audit_record(
        actor=by,
        action="accounts.invitation_send",
        obj=user,
        after={"channels": channels, "expires_at": invitation.expires_at.isoformat(),
               "replaced": replaced},
    )  # fmt: skip
    return invitation


def _inviter_name(by) -> str:
    """Who the message says sent it: a person's name, or the organisers."""
    if getattr(by, "pk", None) and by.real_name:
        return by.real_name
    return _("the organisers")


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation of a link's token, whatever its status (None: no such link)."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("user", "created_by")
        .filter(token_hash=_hash(token))
        .first()
    )


def invitation_usable(invitation: Invitation | None) -> bool:
    return (
        invitation is not None
        and invitation.status() == Invitation.Status.SENT
        and invitation.user.is_active
        and not invitation.user.is_anonymised
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str) -> User:
    """Set the invited person's password (already checked by the password validators,
    e.g. through ``SetPasswordForm``) and close the link. DomainError when the link was
    used, replaced or expired meanwhile."""
    locked = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
    if not invitation_usable(locked):
        raise DomainError(_("This invitation link can no longer be used."), code="invitation")
    user = locked.user
    user.set_password(password)
    user.save()
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    audit_record(actor=user, action="accounts.invitation_accept", obj=user,
                 after={"invitation": locked.pk})  # fmt: skip
    password_change_audit(user=user, actor=user, how="invitation")
    return user


# --- The status the staff lists show --------------------------------------------------------


def with_invitation(queryset: QuerySet) -> QuerySet:
    """Users annotated with their newest invitation (``inv_created_at``, ``inv_expires_at``,
    ``inv_accepted_at``, ``inv_revoked_at``) for ``onboarding_status``, in the same query."""
    newest = Invitation.objects.filter(user=OuterRef("pk")).order_by("-created_at", "-id")
    return queryset.annotate(
        **{
            f"inv_{name}": Subquery(newest.values(name)[:1])
            for name in ("created_at", "expires_at", "accepted_at", "revoked_at")
        }
    )
