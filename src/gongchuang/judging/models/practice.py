"""Calibration: practice works experts score before the real ones."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongchuang.editions.models import Category, Edition
from gongchuang.submissions.models import Work


class PracticeWork(models.Model):
    """A sample work of the practice round with the committee's reference scores."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="practice_works")
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    work = models.ForeignKey(
        Work, verbose_name=_("work"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    title = models.CharField(pgettext_lazy("work", "title"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    # {str(dimension pk): whole score} on the edition's scale.
    reference = models.JSONField(_("reference scores"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("practice work")
        verbose_name_plural = _("practice works")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or (self.work.title if self.work_id else "")


class PracticeScore(models.Model):
    """An expert's scores of a practice work."""

    practice_work = models.ForeignKey(PracticeWork, on_delete=models.CASCADE, related_name="scores")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_scores"
    )
    scores = models.JSONField(_("scores"), default=dict)
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("practice score")
        verbose_name_plural = _("practice scores")
        ordering = ["practice_work", "expert"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice_work", "expert"], name="practice_score_unique_expert"
            )
        ]

    def __str__(self) -> str:
        return f"{self.practice_work} · {self.expert}"
