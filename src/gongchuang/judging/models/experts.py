"""Experts: their profile, declared conflicts and confidentiality pledges."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongchuang.accounts.models import School, Unit
from gongchuang.editions.models import Edition
from gongchuang.submissions.models import Work


class ExpertProfile(models.Model):
    """What the committee knows about an expert (imported from a spreadsheet)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile"
    )
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT
    )
    school = models.ForeignKey(
        School,
        verbose_name=_("school or institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    expertise = models.TextField(_("expertise keywords"), blank=True)
    categories = models.JSONField(_("categories judged"), default=list, blank=True)
    levels = models.JSONField(_("levels judged"), default=list, blank=True)
    max_load = models.PositiveIntegerField(_("maximum number of works"), default=30)
    # Mean signed bias of the expert's practice totals against the reference (0–100 scale),
    # recorded by the committee ("use for calibration"); shown on the ranking page.
    practice_bias = models.FloatField(_("practice bias"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")
        ordering = ["user__real_name", "pk"]

    def __str__(self) -> str:
        return str(self.user)


class ConflictDeclaration(models.Model):
    """An expert declares a conflict of interest with a school, a unit or one work."""

    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflict_declarations"
    )
    school = models.ForeignKey(
        School, verbose_name=_("school"), null=True, blank=True, on_delete=models.CASCADE
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE
    )
    work = models.ForeignKey(
        Work, verbose_name=_("work"), null=True, blank=True, on_delete=models.CASCADE
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["expert", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(school__isnull=False, unit__isnull=True, work__isnull=True)
                    | Q(school__isnull=True, unit__isnull=False, work__isnull=True)
                    | Q(school__isnull=True, unit__isnull=True, work__isnull=False)
                ),
                name="conflict_exactly_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} ↔ {self.school or self.unit or self.work}"

    @property
    def target(self):
        return self.school or self.unit or self.work


class ConfidentialityPledge(models.Model):
    """An expert's acceptance of the confidentiality pledge for one edition."""

    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pledges"
    )
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="+")
    text_version = models.CharField(_("text version"), max_length=20)
    accepted_at = models.DateTimeField(_("accepted at"))

    class Meta:
        verbose_name = _("confidentiality pledge")
        verbose_name_plural = _("confidentiality pledges")
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "edition", "text_version"], name="pledge_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert} · {self.text_version}"
