"""Single-use links to set a password on an account someone else created."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .user import User


class Invitation(models.Model):
    """A single-use link that lets a person whose account someone else created set a
    password (accounts/onboarding/invitations.py).

    Only a hash of the link's token is kept. A new invitation to the same person revokes
    the open ones; accepting one closes it (``accepted_at``). The newest row of a person
    gives the status the staff lists show: sent, accepted or expired.
    """

    class Status(models.TextChoices):
        SENT = "sent", _("Invitation sent")
        ACCEPTED = "accepted", _("Invitation accepted")
        EXPIRED = "expired", _("Invitation expired")
        REVOKED = "revoked", _("Invitation replaced")

    class Purpose(models.TextChoices):
        INVITE = "invite", _("First password of a new account")
        RESET = "reset", _("New password, sent by staff helping")

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="invitations"
    )
    purpose = models.CharField(
        _("purpose"), max_length=8, choices=Purpose.choices, default=Purpose.INVITE
    )
    created_by = models.ForeignKey(
        User,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    token_hash = models.CharField(max_length=64, unique=True)
    # "email" and/or "sms": where the link was sent.
    channels = models.JSONField(_("channels"), default=list)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"], name="invitation_user_newest")]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"

    def status(self, now: datetime.datetime | None = None) -> str:
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return self.Status.EXPIRED
        return self.Status.SENT

    def get_status_display(self) -> str:
        return str(self.Status(self.status()).label)
