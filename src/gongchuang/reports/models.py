"""Background exports, summary reports and API tokens."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongchuang.editions.models import Edition

from .enums import LIKERT_MAX, LIKERT_MIN, Audience, JobStatus, QuestionKind


def export_path(instance, filename: str) -> str:
    # Unguessable storage name; downloads go through a permission-checked view.
    return f"exports/{secrets.token_hex(16)}.xlsx"


def report_path(instance, filename: str) -> str:
    return f"reports/{secrets.token_hex(16)}.pdf"


class Export(models.Model):
    """A spreadsheet export of a filtered list, built in the background when large."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, default="works")
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(upload_to=export_path, max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, int(self.rows_done * 100 / self.total))


class SummaryReport(models.Model):
    """The PDF summary report of an edition (phase 4), generated in the background."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    file = models.FileField(upload_to=report_path, max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("summary report")
        verbose_name_plural = _("summary reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.edition} #{self.pk}"


class ApiToken(models.Model):
    """A personal token of the integration API; only its SHA-256 hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=60)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("prefix"), max_length=8)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Survey(models.Model):
    """A short feedback survey of one audience, opened by the committee at the end of an
    edition (issue 19 item 8); its results go into the summary report."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="+")
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    title = models.CharField(pgettext_lazy("document", "title"), max_length=120)
    intro = models.TextField(_("introduction"), blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback survey")
        verbose_name_plural = _("feedback surveys")
        ordering = ["edition", "audience"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "audience"], name="survey_one_per_audience")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None and self.closed_at is None


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=8, choices=QuestionKind.choices)
    text = models.CharField(pgettext_lazy("survey", "question"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["survey", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class SurveyResponse(models.Model):
    """One person's answers to a survey: once per person (a database constraint)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"], name="survey_one_response_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.respondent_id}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    value = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    text = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_answer_once"),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True)
                | models.Q(value__gte=LIKERT_MIN, value__lte=LIKERT_MAX),
                name="survey_answer_likert_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value or self.text[:20]}"
