"""The finalist list a jury proposes and the committee approves."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongchuang.accounts.enums import Level
from gongchuang.editions.models import Category, Edition
from gongchuang.submissions.models import Work

from ..enums import SelectionRule


class FinalistList(models.Model):
    """The approved finalists of one group (category × level) of an edition."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="finalist_lists")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("education level"), max_length=16, choices=Level.choices, blank=True)
    rule = models.CharField(_("rule"), max_length=10, choices=SelectionRule.choices)
    value = models.FloatField(_("number or share"))
    approved_at = models.DateTimeField(_("approved at"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    works = models.ManyToManyField(Work, through="FinalistEntry", related_name="+")

    class Meta:
        verbose_name = _("finalist list")
        verbose_name_plural = _("finalist lists")
        ordering = ["edition", "category__order", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "category", "level"], name="finalist_list_unique_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category.name} {self.get_level_display()}".strip()


class FinalistEntry(models.Model):
    finalist_list = models.ForeignKey(
        FinalistList, on_delete=models.CASCADE, related_name="entries"
    )
    work = models.ForeignKey(Work, on_delete=models.PROTECT, related_name="finalist_entries")
    rank = models.PositiveIntegerField(_("rank"))
    score = models.FloatField(_("calibrated score"))

    class Meta:
        ordering = ["finalist_list", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["finalist_list", "work"], name="finalist_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.work}"
