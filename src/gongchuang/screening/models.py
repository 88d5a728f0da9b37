"""Qualification reviews, the quota lock, automatic pre-checks and near-duplicate flags."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongchuang.accounts.models import Unit
from gongchuang.editions.models import Category, Edition
from gongchuang.submissions.models import Work, WorkFile

from .enums import Decision, FingerprintKind, PreCheckStatus, Stage


class QuotaLock(models.Model):
    """One row per edition × unit × category, locked while a recommendation is counted.

    The number of recommended works is always counted from ``Work`` (never
    stored), but only after this row is locked with ``select_for_update``, so
    two organizers recommending at once are serialised and cannot exceed the
    category's ``unit_quota``.
    """

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("quota lock")
        verbose_name_plural = _("quota locks")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "unit", "category"], name="screening_quota_lock_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.edition_id}/{self.unit_id}/{self.category_id}"


class Review(models.Model):
    """One decision of a unit organizer or the city committee, with its checklist."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="screening_reviews")
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.work_id} {self.get_decision_display()}"


class PreCheck(models.Model):
    """The result of the automatic checks run in the background when a work is submitted.

    ``findings`` is a list of ``{"code": FindingCode, "slot", "file", "detail",
    "seconds", "limit", "other_work_id", "kind", "score"}`` dicts (keys as needed).
    """

    work = models.OneToOneField(Work, on_delete=models.CASCADE, related_name="precheck")
    status = models.CharField(
        _("status"), max_length=10, choices=PreCheckStatus.choices, default=PreCheckStatus.PENDING
    )
    findings = models.JSONField(_("findings"), default=list, blank=True)
    error = models.TextField(blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("automatic pre-check")
        verbose_name_plural = _("automatic pre-checks")

    def __str__(self) -> str:
        return f"{self.work_id} {self.status}"

    @property
    def problem_count(self) -> int:
        return len(self.findings)


class Fingerprint(models.Model):
    """A stored fingerprint of a work's file or text (see ``similarity``)."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="fingerprints")
    work_file = models.ForeignKey(
        WorkFile, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=FingerprintKind.choices)
    value = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fingerprint")
        verbose_name_plural = _("fingerprints")
        indexes = [models.Index(fields=["work", "kind"])]

    def __str__(self) -> str:
        return f"{self.work_id} {self.kind}"


class DuplicateMatch(models.Model):
    """``work`` looks like ``other`` (stored both ways so each work shows the other)."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="duplicate_matches")
    other = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=FingerprintKind.choices)
    score = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("near-duplicate")
        verbose_name_plural = _("near-duplicates")
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "other", "kind"], name="screening_duplicate_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.work_id}≈{self.other_id} ({self.kind} {self.score:.2f})"


class SimilarityKey(models.Model):
    """One band key of a work's fingerprints in the near-duplicate index (see ``lsh``).

    A work has 32 keys for its text and 4 per image or video frame. Looking up a new
    work's keys (``key IN (...)``, one indexed query) yields the few works worth
    comparing, across every edition and the imported showcase works.
    """

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField()

    class Meta:
        verbose_name = _("similarity key")
        verbose_name_plural = _("similarity keys")
        indexes = [models.Index(fields=["key"], name="screening_simkey_key")]

    def __str__(self) -> str:
        return f"{self.work_id}:{self.key}"


class WorkText(models.Model):
    """The start of a work's text (title, abstract, documents) kept to show matching passages."""

    work = models.OneToOneField(Work, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True)
    # Documents whose text could not be read: [{"file": name, "note": extract.NOTE_*}].
    notes = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("extracted text")
        verbose_name_plural = _("extracted texts")

    def __str__(self) -> str:
        return str(self.work_id)
