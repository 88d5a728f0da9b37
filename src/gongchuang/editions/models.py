"""Editions (届), their dated windows, categories, rules and rubrics."""

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import STEP_PHASE, ImageKind, Phase, Step, Track

# The ``Edition.settings`` key of the school confirmation option.
SCHOOL_CONFIRMATION_KEY = "school_confirmation"


class EditionQuerySet(models.QuerySet):
    def current(self) -> "Edition | None":
        return self.filter(is_current=True).first()


class Edition(models.Model):
    """One year's activity. Only one edition is current; old ones stay readable."""

    slug = models.SlugField(_("slug"), max_length=20, unique=True)
    year = models.PositiveIntegerField(_("year"))
    code = models.CharField(
        _("code prefix"),
        max_length=8,
        unique=True,
        help_text=_("Starts every work code, e.g. 2026."),
    )
    name = models.CharField(_("name"), max_length=120)
    theme = models.CharField(_("theme"), max_length=120)
    is_current = models.BooleanField(_("current edition"), default=False)
    is_demo = models.BooleanField(_("demo edition"), default=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    organisers = models.JSONField(_("organisers"), default=dict, blank=True)
    finalist_weights = models.JSONField(_("final score weights"), default=dict, blank=True)
    settings = models.JSONField(_("other settings"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-year", "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_edition"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def school_confirmation(self) -> bool:
        """Submitted works wait for their school's coordinator before the unit (学校确认);
        set on the edition settings page (``settings["school_confirmation"]``)."""
        return bool((self.settings or {}).get(SCHOOL_CONFIRMATION_KEY))

    def window(self, step: str) -> "PhaseWindow | None":
        for window in self.windows.all():
            if window.step == step:
                return window
        return None

    def is_open(self, step: str, at=None) -> bool:
        window = self.window(step)
        return bool(window and window.is_open(at))

    def current_phase(self, at=None) -> Phase | None:
        at = at or timezone.now()
        for window in self.windows.all():
            if window.is_open(at):
                return Phase(STEP_PHASE[Step(window.step)])
        return None


class PhaseWindow(models.Model):
    """When a step of the edition is open. The server enforces these (Asia/Shanghai)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="windows")
    step = models.CharField(_("step"), max_length=32, choices=Step.choices)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))

    class Meta:
        verbose_name = _("window")
        verbose_name_plural = _("windows")
        ordering = ["opens_at"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "step"], name="window_unique_step"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="window_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.opens_at:%Y-%m-%d} – {self.closes_at:%Y-%m-%d}"

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError(_("A window must close after it opens."))

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at

    @property
    def phase(self) -> Phase:
        return Phase(STEP_PHASE[Step(self.step)])


class Category(models.Model):
    """A category of works with its rules, materials and rubric."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="categories")
    # DOMAIN.md's five categories use CategoryCode values; the committee may add others.
    code = models.SlugField(
        _("code"), max_length=32, help_text=_("Lower-case letters, digits and underscores.")
    )
    track = models.CharField(_("track"), max_length=16, choices=Track.choices)
    short_code = models.CharField(
        _("short code"), max_length=8, help_text=_("Used in work codes, e.g. ART.")
    )
    name = models.CharField(_("name"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    eligible_levels = models.JSONField(_("eligible education levels"), default=list, blank=True)
    max_authors = models.PositiveSmallIntegerField(_("maximum authors"))
    max_advisors = models.PositiveSmallIntegerField(_("maximum advisors"), default=2)
    unit_quota = models.PositiveIntegerField(
        _("recommendations per unit"), null=True, blank=True, help_text=_("Empty: no quota.")
    )
    materials = models.JSONField(_("required materials"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["edition", "order"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="category_unique_code"),
            models.UniqueConstraint(
                fields=["edition", "short_code"], name="category_unique_short_code"
            ),
            models.CheckConstraint(
                condition=Q(max_authors__gte=1), name="category_at_least_one_author"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_teacher_track(self) -> bool:
        return self.track == Track.TEACHER

    def accepts_level(self, level: str) -> bool:
        return level in self.eligible_levels

    def material(self, key: str) -> dict | None:
        return next((m for m in self.materials if m["key"] == key), None)


class RubricDimension(models.Model):
    """A scored dimension of a category's rubric; weights of a category add up to 100."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="rubric")
    name = models.CharField(_("name"), max_length=60)
    weight = models.PositiveSmallIntegerField(_("weight"))
    description = models.TextField(_("description"), blank=True)
    anchors = models.JSONField(_("score anchors"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("rubric dimension")
        verbose_name_plural = _("rubric dimensions")
        ordering = ["category_id", "order"]  # by the column: no join to order
        constraints = [
            models.UniqueConstraint(fields=["category", "name"], name="rubric_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})"


def edition_image_path(instance, filename: str) -> str:
    """Stored under a fresh name with the sniffed extension (``filename`` is given as
    ``image.<ext>`` by the service): a replaced banner never comes from a stale cache."""
    extension = filename.rpartition(".")[2]
    return f"editions/{instance.edition_id}/{instance.kind}-{secrets.token_hex(8)}.{extension}"


class EditionImage(models.Model):
    """The edition's identity, uploaded by the committee: the home page's banner and the
    organisers' logos (public), and the seal printed on its certificates (not public).
    One banner and one seal per edition; logos in ``position`` order."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="images")
    kind = models.CharField(_("kind"), max_length=10, choices=ImageKind.choices)
    file = models.FileField(upload_to=edition_image_path)
    mime = models.CharField(max_length=40)
    name = models.CharField(
        _("name"), max_length=120, blank=True, help_text=_("Whose logo it is (read aloud).")
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    position = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("edition image")
        verbose_name_plural = _("edition images")
        ordering = ["kind", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "kind"],
                condition=Q(kind__in=["banner", "seal"]),
                name="edition_image_one_banner_one_seal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition} · {self.get_kind_display()} {self.name}".strip()

    @property
    def is_public(self) -> bool:
        return self.kind != ImageKind.SEAL
