"""The offline final: event, sessions, attendance, on-site tasks, scores, results, certificates."""

import datetime
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongchuang.accounts.enums import Level
from gongchuang.editions.models import Category, Edition
from gongchuang.submissions.enums import AuthorRole
from gongchuang.submissions.models import Work

from .enums import SESSION_SCORE_KINDS, Attendance, BatchStatus, ScoreKind, SessionKind, StarLevel

# Codes people type or read aloud: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code(length: int = 10) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


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
    title = models.CharField(_("title"), max_length=120)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT
    )
    level = models.CharField(_("education level"), max_length=16, choices=Level.choices, blank=True)
    room = models.CharField(_("room"), max_length=60)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    judges = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="SessionJudge", related_name="final_sessions", blank=True
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
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


def task_file_path(instance, filename: str) -> str:
    return f"finals/{secrets.token_hex(16)}"


class OnsiteTask(models.Model):
    """A task of the on-site challenge, hidden from finalists until released."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("title"), max_length=120)
    statement = models.TextField(_("task statement"))
    attachment = models.FileField(_("attachment"), upload_to=task_file_path, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    time_limit_minutes = models.PositiveIntegerField(_("time limit (minutes)"), default=90)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("on-site task")
        verbose_name_plural = _("on-site tasks")
        ordering = ["session", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_released(self) -> bool:
        return self.released_at is not None

    @property
    def base_deadline(self) -> datetime.datetime | None:
        if self.released_at is None:
            return None
        return self.released_at + datetime.timedelta(minutes=self.time_limit_minutes)


class TaskExtension(models.Model):
    """Extra minutes for one finalist on one task (audited, with a reason)."""

    task = models.ForeignKey(OnsiteTask, on_delete=models.CASCADE, related_name="extensions")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    minutes = models.PositiveIntegerField(_("extra minutes"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.work} +{self.minutes}"


class TaskSubmission(models.Model):
    """A finalist's result of an on-site task (latest version, accepted before the deadline)."""

    task = models.ForeignKey(OnsiteTask, on_delete=models.CASCADE, related_name="submissions")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="task_submissions")
    text = models.TextField(_("answer or notes"), blank=True)
    link = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to=task_file_path, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("task submission")
        verbose_name_plural = _("task submissions")
        constraints = [
            models.UniqueConstraint(fields=["task", "work"], name="task_submission_unique")
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.work}"


class Score(models.Model):
    """One judge's score sheet for one finalist in one session (presentation or task).

    ``client_uuid`` is generated on the judge's device for the sheet and sent with
    every save, so a sync replayed after a network cut updates the same row instead of
    adding one. ``client_rev`` (the device's clock in ms) makes late, older replays lose.
    """

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="scores")
    work = models.ForeignKey(Work, on_delete=models.PROTECT, related_name="final_scores")
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="final_scores"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ScoreKind.choices)
    values = models.JSONField(_("values per dimension"), default=dict)
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=2, null=True, blank=True)
    is_complete = models.BooleanField(_("complete"), default=False)
    client_uuid = models.UUIDField(unique=True, default=uuid.uuid4)
    client_rev = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("final score")
        verbose_name_plural = _("final scores")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "work", "judge", "kind"], name="final_score_one_sheet"
            )
        ]

    def __str__(self) -> str:
        return f"{self.work} · {self.judge} · {self.get_kind_display()}"


class FinalResult(models.Model):
    """Computed result of a finalist work: scores, rank in its group, star level."""

    event = models.ForeignKey(FinalEvent, on_delete=models.CASCADE, related_name="results")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="final_results")
    group_label = models.CharField(_("group"), max_length=120)
    presentation = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    task = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    online = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    combined = models.DecimalField(
        _("combined score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    spread = models.DecimalField(
        _("score spread"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    star_level = models.CharField(
        _("star level"), max_length=8, choices=StarLevel.choices, blank=True
    )
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("final result")
        verbose_name_plural = _("final results")
        ordering = ["group_label", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["event", "work"], name="final_result_unique")
        ]

    def __str__(self) -> str:
        return f"{self.work} · {self.combined}"


class SpecialAward(models.Model):
    """A named award (e.g. a sponsor's prize) given by the committee to a finalist work."""

    event = models.ForeignKey(FinalEvent, on_delete=models.CASCADE, related_name="special_awards")
    name = models.CharField(_("award name"), max_length=60)
    work = models.ForeignKey(
        Work, verbose_name=_("work"), on_delete=models.PROTECT, related_name="special_awards"
    )
    citation = models.CharField(_("citation"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("special award")
        verbose_name_plural = _("special awards")
        constraints = [
            models.UniqueConstraint(fields=["event", "name", "work"], name="special_award_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.work}"


def certificate_path(instance, filename: str) -> str:
    return f"certificates/{instance.event.edition_id}/{instance.code}.pdf"


class Certificate(models.Model):
    """An award certificate of one person (author or advisor) for one work and award."""

    event = models.ForeignKey(FinalEvent, on_delete=models.CASCADE, related_name="certificates")
    work = models.ForeignKey(Work, on_delete=models.PROTECT, related_name="certificates")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    role = models.CharField(_("role"), max_length=16, choices=AuthorRole.choices)
    award = models.CharField(_("award"), max_length=60)
    star_level = models.CharField(max_length=8, choices=StarLevel.choices, blank=True)
    special_award = models.ForeignKey(
        SpecialAward, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    code = models.CharField(_("verification code"), max_length=16, unique=True, default=new_code)
    issued_on = models.DateField(_("date of issue"))
    file = models.FileField(upload_to=certificate_path, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["work__code", "role", "id"]
        constraints = [
            # A revoked certificate stays (its code says 未找到); a correction re-issues.
            models.UniqueConstraint(
                fields=["event", "work", "user", "award"],
                condition=Q(revoked_at__isnull=True),
                name="certificate_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.award}"

    def get_absolute_url(self) -> str:
        return reverse("finals:verify", args=[self.code])


def batch_zip_path(instance, filename: str) -> str:
    return f"certificates/zip/{secrets.token_hex(16)}.zip"


class CertificateBatch(models.Model):
    """A background run generating certificate PDFs (all units, or one unit) into a ZIP."""

    event = models.ForeignKey(FinalEvent, on_delete=models.CASCADE, related_name="batches")
    unit = models.ForeignKey(
        "accounts.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    zip_file = models.FileField(upload_to=batch_zip_path, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.event} · {self.unit or '*'} · {self.status}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(self.done * 100 / self.total)
