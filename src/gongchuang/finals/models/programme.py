"""The final event, its programme (sessions, judges, running order) and attendance."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongchuang.accounts.enums import Level
from gongchuang.editions.models import Category, Edition
from gongchuang.submissions.models import Work

from ..enums import SESSION_SCORE_KINDS, Attendance, SessionKind
from .codes import new_code


class FinalEvent(models.Model):
    """The offline final of an edition (one per edition)."""

    edition = models.OneToOneField(Edition, on_delete=models.CASCADE, related_name="final_event")
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=200)
    address = models.CharField(_("address"), max_length=200, blank=True)
    results_locked_at = models.DateTimeField(_("results locked at"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    # The secret of the projector links (/final/screen/<token>/…): read-only pages with no
    # login; the committee regenerates it (old links stop working) or clears it (none work).
    screen_token = models.CharField(
        _("projector link secret"), max_length=64, unique=True, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("final event")
        verbose_name_plural = _("final events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="final_ends_after_start",
                violation_error_message=_("The final cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_locked(self) -> bool:
        return self.results_locked_at is not None

    @property
    def is_published(self) -> bool:
        return self.results_published_at is not None


class Session(models.Model):
    """One item of the final's programme, in a room at a time; scored sessions have judges."""

    event = models.ForeignKey(FinalEvent, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    title = models.CharField(pgettext_lazy("document", "title"), max_length=120)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT
    )
    level = models.CharField(_("education level"), max_length=16, choices=Level.choices, blank=True)
    room = models.CharField(_("room"), max_length=60)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    # Seats of a teaching-exchange session for teachers who sign up (None: no sign-up).
    capacity = models.PositiveIntegerField(_("seats for sign-up"), null=True, blank=True)
    judges = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="SessionJudge", related_name="final_sessions", blank=True
    )
    # Who is presenting now (the committee advances it on the live board; the projector shows it).
    current_participant = models.ForeignKey(
        "SessionParticipant",
        verbose_name=_("current presenter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = pgettext_lazy("final", "session")
        verbose_name_plural = pgettext_lazy("final", "sessions")
        ordering = ["starts_at", "room"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.room}"

    @property
    def score_kinds(self) -> tuple[str, ...]:
        return SESSION_SCORE_KINDS.get(self.kind, ())

    @property
    def is_scored(self) -> bool:
        return bool(self.score_kinds)


class SessionJudge(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="judge_links")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # When the committee last reminded this judge of missing sheets (rate limit of reminders).
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "judge"], name="session_judge_unique")
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.judge}"


class SessionParticipant(models.Model):
    """A finalist work in a session, in running order."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="participants")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="final_sessions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["session", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "work"], name="session_participant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.work}"


class FinalistAttendance(models.Model):
    """Whether a finalist work comes to the final, and its venue check-in."""

    event = models.ForeignKey(FinalEvent, on_delete=models.CASCADE, related_name="attendances")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="final_attendances")
    status = models.CharField(
        _("attendance"), max_length=12, choices=Attendance.choices, default=Attendance.PENDING
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checkin_code = models.CharField(
        _("check-in code"), max_length=12, unique=True, default=new_code
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["event", "work"], name="attendance_unique_work")
        ]

    def __str__(self) -> str:
        return f"{self.work} · {self.get_status_display()}"
