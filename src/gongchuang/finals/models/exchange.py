"""The final's exchange sessions: teaching cases routed to the 教学案例交流 session and the
teachers signed up for it; the experts' guidance slots (专家指导交流) and their bookings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongchuang.submissions.models import Work

from .programme import FinalEvent, Session


class ExchangeCase(models.Model):
    """A public teaching case presented in a teaching-exchange session (routed by the committee)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="exchange_cases")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="exchange_routes")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "work"], name="exchange_case_unique")
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.work}"


class ExchangeSignup(models.Model):
    """A teacher's seat in a teaching-exchange session (the session's capacity bounds them)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exchange_signups"
    )
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)

    class Meta:
        ordering = ["session", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                name="exchange_signup_unique",
                violation_error_message=_("You have already signed up for this session."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.user}"


class GuidanceSlot(models.Model):
    """A time an expert offers in an expert-guidance session; at most one booking."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="guidance_slots")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="guidance_slots"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("guidance slot")
        verbose_name_plural = _("guidance slots")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="guidance_slot_ends_after_start",
                violation_error_message=_("A time slot must end after it starts."),
            ),
            models.UniqueConstraint(
                fields=["expert", "starts_at"],
                name="guidance_slot_unique_start",
                violation_error_message=_("You already offer a time slot at this time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} · {self.starts_at:%H:%M}"


class GuidanceBooking(models.Model):
    """A finalist work's booking of one guidance slot, and the expert's notes afterwards.

    The database keeps both rules under concurrency: a slot has one booking (one-to-one)
    and a work books one slot per final (``guidance_booking_one_per_work``).
    """

    slot = models.OneToOneField(GuidanceSlot, on_delete=models.CASCADE, related_name="booking")
    event = models.ForeignKey(FinalEvent, on_delete=models.CASCADE, related_name="+")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="guidance_bookings")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    notes = models.TextField(_("guidance notes"), blank=True)
    notes_at = models.DateTimeField(_("notes written at"), null=True, blank=True)

    class Meta:
        verbose_name = _("guidance booking")
        verbose_name_plural = _("guidance bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "work"],
                name="guidance_booking_one_per_work",
                violation_error_message=_("This work has already booked a guidance slot."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.slot} · {self.work}"
