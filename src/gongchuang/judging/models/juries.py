"""Juries, the works assigned to their experts, the reviews, and maintained counts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongchuang.accounts.enums import Level
from gongchuang.accounts.models import Unit
from gongchuang.editions.models import Category, Edition
from gongchuang.submissions.models import Work

from ..enums import AssignmentSource, ReviewStatus


class Jury(models.Model):
    """The experts judging one category (optionally one level) of an edition."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="juries")
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="juries"
    )
    level = models.CharField(
        _("education level"),
        max_length=16,
        choices=Level.choices,
        blank=True,
        help_text=_("Empty: all levels of the category."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("experts"), related_name="juries", blank=True
    )
    k = models.PositiveSmallIntegerField(_("experts per work"), default=3)
    min_load = models.PositiveSmallIntegerField(_("minimum works per expert"), default=0)
    peer_scores_visible = models.BooleanField(
        _("experts see other experts' scores"),
        default=False,
        help_text=_(
            "Set per jury: a jury is one round of online review, whose experts score the same "
            "works. When on, an expert who has submitted their own review of a work sees the "
            "other experts' submitted scores of it, without names or comments; before "
            "submitting, nothing. A submitted review can still be changed while the review "
            "window is open. Off by default."
        ),
    )
    discussion_after_review = models.BooleanField(
        _("experts join a work's discussion only after submitting their own review"),
        default=True,
        help_text=_(
            "Each work has a discussion among the jury's experts who review it and the "
            "committee. When on, an expert sees the discussion of a work only once their own "
            "review of it is submitted, so that no one is anchored before scoring."
        ),
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("panel lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_juries",
        help_text=_(
            "One of the jury's experts; writes the consensus note of disputed and grey-zone "
            "works, shown to the committee at finalist approval."
        ),
    )
    published_at = models.DateTimeField(_("assignments published at"), null=True, blank=True)
    solved_at = models.DateTimeField(_("last solved at"), null=True, blank=True)
    solve_summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("jury")
        verbose_name_plural = _("juries")
        ordering = ["edition", "category__order", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "category", "level"], name="jury_unique_group"
            )
        ]

    def __str__(self) -> str:
        if self.level:
            return f"{self.category.name} · {self.get_level_display()}"
        return str(self.category.name)


class Assignment(models.Model):
    """A work given to an expert of a jury, or a pair the committee forbade.

    ``forbidden`` rows are not assignments: they keep the solver from ever
    proposing that pair. ``pinned`` rows are kept by every re-solve.
    """

    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="assignments")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    forbidden = models.BooleanField(_("forbidden"), default=False)
    source = models.CharField(
        _("source"), max_length=10, choices=AssignmentSource.choices, default=AssignmentSource.AUTO
    )
    affinity = models.FloatField(_("affinity"), default=0.0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["jury", "work", "expert"]
        constraints = [
            models.UniqueConstraint(fields=["jury", "work", "expert"], name="assignment_unique"),
            models.CheckConstraint(
                condition=~Q(pinned=True, forbidden=True),
                name="assignment_not_pinned_and_forbidden",
            ),
        ]
        indexes = [models.Index(fields=["expert", "forbidden"])]

    def __str__(self) -> str:
        return f"{self.work} → {self.expert}"


class JuryCount(models.Model):
    """Review progress of a jury per unit × category of the works: assignments (not the
    forbidden pairs), submitted reviews, and works with at least one assignment. Kept by
    ``judging.counts`` in the transaction of each change (the dashboard reads these)."""

    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    assigned = models.IntegerField(default=0)
    done = models.IntegerField(default=0)
    works = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["jury", "unit", "category"], name="jury_count_key")
        ]

    def __str__(self) -> str:
        return f"{self.jury_id}/{self.unit_id}/{self.category_id}"


class ExpertCount(models.Model):
    """Review progress of an expert in a jury per category of the works, kept like
    :class:`JuryCount`."""

    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="+")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    assigned = models.IntegerField(default=0)
    done = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["jury", "expert", "category"], name="expert_count_key")
        ]

    def __str__(self) -> str:
        return f"{self.jury_id}/{self.expert_id}/{self.category_id}"


class Review(models.Model):
    """One expert's scores of one work. ``scores`` maps rubric dimension id → 1..10."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    scores = models.JSONField(_("scores"), default=dict)
    total = models.FloatField(_("weighted total (0–100)"), null=True, blank=True)
    comment_to_committee = models.TextField(_("comment to the committee"), blank=True)
    comment_to_authors = models.TextField(_("comment to the authors"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.assignment} · {self.get_status_display()}"

    @property
    def is_submitted(self) -> bool:
        return self.status == ReviewStatus.SUBMITTED
