"""Judges' score sheets, computed results and special awards."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongchuang.submissions.models import Work

from ..enums import ScoreKind, StarLevel
from .programme import FinalEvent, Session


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
