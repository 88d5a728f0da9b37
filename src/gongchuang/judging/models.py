"""Experts, juries, assignments, reviews and finalist lists (phase 2 expert review)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongchuang.accounts.enums import Level
from gongchuang.accounts.models import School, Unit
from gongchuang.editions.models import Category, Edition
from gongchuang.submissions.models import Work

from .enums import AssignmentSource, ReviewStatus, SelectionRule


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


class DiscussionPost(models.Model):
    """A message in the experts' discussion of one work within a jury.

    Read by the work's experts in the jury (``Jury.discussion_after_review``), its lead
    and the committee (``selectors.discussion``); never by authors, advisors or units.
    """

    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="discussion_posts")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_posts"
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("discussion message")
        verbose_name_plural = _("discussion messages")
        ordering = ["jury", "work", "created_at", "pk"]
        indexes = [models.Index(fields=["jury", "work", "created_at"])]

    def __str__(self) -> str:
        return f"{self.work} · {self.author}"


class ConsensusNote(models.Model):
    """The panel lead's consensus note on a disputed or grey-zone work (one per jury × work)."""

    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="consensus_notes")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("consensus note"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("consensus note")
        verbose_name_plural = _("consensus notes")
        constraints = [
            models.UniqueConstraint(fields=["jury", "work"], name="consensus_note_unique_work")
        ]

    def __str__(self) -> str:
        return f"{self.work} · {self.author}"


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
    title = models.CharField(_("title"), max_length=200, blank=True)
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
