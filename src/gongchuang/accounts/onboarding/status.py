"""Where a person created by someone else stands: invited, accepted, expired, sheet…"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..access import can
from ..models import Invitation, User


class OnboardingStatus(models.TextChoices):
    NOT_INVITED = "not_invited", _("Not invited yet")
    SENT = "sent", _("Invitation sent")
    EXPIRED = "expired", _("Invitation expired")
    SHEET = "sheet", _("One-time password issued")
    ACCEPTED = "accepted", _("Invitation accepted")
    SIGNED_IN = "signed_in", _("Has signed in")


def onboarding_status(user: User) -> OnboardingStatus:
    """The status of ``user``; reads the annotations of ``with_invitation`` when present
    (a list pays no query per row), else looks the newest invitation up."""
    if hasattr(user, "inv_created_at"):
        created, expires, accepted = user.inv_created_at, user.inv_expires_at, user.inv_accepted_at
    else:
        newest = Invitation.objects.filter(user=user).order_by("-created_at", "-id").first()
        created = newest and newest.created_at
        expires = newest and newest.expires_at
        accepted = newest and newest.accepted_at
    if accepted:
        return OnboardingStatus.ACCEPTED
    if user.last_login:
        return OnboardingStatus.SIGNED_IN
    if user.must_change_password:
        return OnboardingStatus.SHEET
    if created:
        return OnboardingStatus.EXPIRED if expires <= timezone.now() else OnboardingStatus.SENT
    return OnboardingStatus.NOT_INVITED


def not_signed_in(user: User) -> bool:
    """Never signed in: may get (another) invitation or a credentials sheet. Someone who
    has signed in resets a forgotten password instead."""
    return user.is_active and not user.is_anonymised and user.last_login is None


def onboarding_rows(viewer, people) -> list[dict]:
    """A list's rows: each person, their status and whether ``viewer`` may resend an
    invitation or print a sheet for them (``people`` annotated by ``with_invitation``)."""
    return [
        {
            "person": person,
            "status": onboarding_status(person),
            "can_invite": can(viewer, "accounts.invite_user", person),
            "channels": [c for c, v in (("email", person.email), ("sms", person.mobile)) if v],
        }
        for person in people
    ]
