"""Publicity lists (公示) and objections (异议) against listed works."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .enums import PENDING_OBJECTION_STATES, ListKind, ObjectionState, StatementFrom


class PublicHoliday(models.Model):
    """A day that is not a working day (public holiday), or a weekend day that is (调休)."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=60)
    is_working_day = models.BooleanField(
        _("working day"), default=False, help_text=_("Tick for a weekend day worked in lieu.")
    )

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class PublicityList(models.Model):
    """A finalist or award list under publicity; final only once confirmed by the committee."""

    edition = models.ForeignKey(
        "editions.Edition", on_delete=models.PROTECT, related_name="publicity_lists"
    )
    kind = models.CharField(_("list"), max_length=16, choices=ListKind.choices)
    title = models.CharField(pgettext_lazy("document", "title"), max_length=150)
    published_at = models.DateTimeField(_("published at"))
    ends_at = models.DateTimeField(_("publicity ends at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    final_at = models.DateTimeField(_("confirmed final at"), null=True, blank=True)
    final_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("publicity list")
        verbose_name_plural = _("publicity lists")
        ordering = ["-published_at", "-id"]
        constraints = [
            # One award list per edition: certificates follow exactly one confirmed list.
            models.UniqueConstraint(
                fields=["edition"],
                condition=Q(kind=ListKind.AWARD),
                name="publicity_one_award_list_per_edition",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publicity:list_detail", args=[self.pk])

    @property
    def is_final(self) -> bool:
        return self.final_at is not None

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.published_at <= at < self.ends_at and not self.is_final


class PublicityEntry(models.Model):
    """A work on a publicity list; ``removed_at`` is set when an upheld objection takes it off."""

    publicity_list = models.ForeignKey(
        PublicityList, on_delete=models.CASCADE, related_name="entries"
    )
    work = models.ForeignKey(
        "submissions.Work", on_delete=models.PROTECT, related_name="publicity_entries"
    )
    order = models.PositiveIntegerField(default=0)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_reason = models.TextField(_("reason for removal"), blank=True)

    class Meta:
        verbose_name = _("listed work")
        verbose_name_plural = _("listed works")
        ordering = ["publicity_list", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["publicity_list", "work"], name="publicity_entry_unique_work"
            )
        ]

    def __str__(self) -> str:
        return str(self.work)


class Objection(models.Model):
    """An objection by a logged-in person (real name) against a listed work.

    ``state`` is changed only by the services (``OBJECTION_TRANSITIONS``, audited).
    The objector's identity is shown to the committee only, never to the authors.
    """

    entry = models.ForeignKey(PublicityEntry, on_delete=models.PROTECT, related_name="objections")
    objector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="objections"
    )
    reason = models.TextField(_("reason"))
    contact = models.CharField(_("contact"), max_length=100)
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=ObjectionState.choices,
        default=ObjectionState.RECEIVED,
        db_index=True,
    )
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    statement_from = models.CharField(
        _("statement requested from"), max_length=10, choices=StatementFrom.choices, blank=True
    )
    statement_requested_at = models.DateTimeField(null=True, blank=True)
    statement_deadline = models.DateTimeField(_("statement deadline"), null=True, blank=True)
    statement = models.TextField(_("statement"), blank=True)
    statement_at = models.DateTimeField(_("statement given at"), null=True, blank=True)
    statement_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "objector"], name="objection_one_per_person_per_work"
            )
        ]
        indexes = [
            models.Index(fields=["state", "created_at"]),
            # The committee's queue shows the pending states (two) or all, oldest first: read
            # in this order and filtered, no sort of every objection.
            models.Index(fields=["created_at", "id"], name="objection_created"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.entry.work}"

    @property
    def is_pending(self) -> bool:
        return self.state in PENDING_OBJECTION_STATES

    @property
    def awaits_statement(self) -> bool:
        return bool(self.statement_requested_at) and not self.statement_at


def evidence_path(instance: "ObjectionEvidence", filename: str) -> str:
    return f"objections/{secrets.token_hex(16)}"


class ObjectionEvidence(models.Model):
    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.BigIntegerField(_("size"))
    mime = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name


class ObjectionNote(models.Model):
    """A committee note on the investigation (internal)."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("investigation note")
        verbose_name_plural = _("investigation notes")

    def __str__(self) -> str:
        return self.text[:40]


PENDING_Q = Q(state__in=list(PENDING_OBJECTION_STATES))
