"""Organising units (districts, universities) and their schools."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..enums import Level, SchoolKind, SchoolType, UnitKind


class Unit(models.Model):
    """An organising unit (组织单位): a district or a university."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    order = models.PositiveIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("organising unit")
        verbose_name_plural = _("organising units")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    """A school, university or off-campus institution under a unit."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="schools"
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(
        _("kind"), max_length=16, choices=SchoolKind.choices, default=SchoolKind.SCHOOL
    )
    # The district's own code for the school (often the 学校标识码); optional, unique per unit.
    code = models.CharField(_("school code"), max_length=32, blank=True)
    school_type = models.CharField(
        _("school type"), max_length=16, choices=SchoolType.choices, blank=True
    )
    levels = models.JSONField(_("levels taught"), default=list, blank=True)  # Level values
    # A school is deactivated, never deleted (people and works keep pointing at it);
    # registration offers active schools only.
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["unit__order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="school_unique_name_per_unit"),
            models.UniqueConstraint(
                fields=["unit", "code"], condition=~Q(code=""), name="school_unique_code_per_unit"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_levels_display(self) -> str:
        labels = dict(Level.choices)
        return "、".join(str(labels[v]) for v in self.levels if v in labels)
