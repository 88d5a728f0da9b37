"""Notices (通知公告), guide documents (活动指南) and credits of imported past works."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongchuang.accounts.models import Unit
from gongchuang.editions.models import Edition
from gongchuang.submissions.models import Work

from .enums import NoticeStatus, QuestionStatus


def _private_path(instance, filename: str) -> str:
    # Unguessable storage name; files are served only through views.
    return f"portal/{secrets.token_hex(16)}"


class Notice(models.Model):
    """A notice of the city committee (``unit`` empty) or of one organising unit.

    ``body_html`` is the sanitised rendering of ``body`` (Markdown), kept in
    step by ``services.notice_save``; templates show only ``body_html``.
    """

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="notices"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
        help_text=_("Empty: a notice of the city committee."),
    )
    title = models.CharField(pgettext_lazy("document", "title"), max_length=120)
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    body = models.TextField(_("text (Markdown)"))
    body_html = models.TextField(editable=False, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT
    )
    is_pinned = models.BooleanField(pgettext_lazy("notice", "pinned"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-is_pinned", "-published_at", "-created_at"]
        indexes = [models.Index(fields=["status", "-published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="notice_published_has_time",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:notice_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == NoticeStatus.PUBLISHED

    @property
    def is_scheduled(self) -> bool:
        """Published, but its publication time has not come yet."""
        return (
            self.is_published
            and self.published_at is not None
            and (self.published_at > timezone.now())
        )


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_private_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.BigIntegerField(_("size"))
    mime = models.CharField(max_length=100)
    kind = models.CharField(max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["notice", "created_at"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("portal:notice_attachment", args=[self.pk])


class GuideDocument(models.Model):
    """A guide document of an edition (活动指南, PDF/Word) uploaded by the committee."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="guide_documents")
    title = models.CharField(pgettext_lazy("document", "title"), max_length=120)
    file = models.FileField(upload_to=_private_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.BigIntegerField(_("size"))
    mime = models.CharField(max_length=100)
    kind = models.CharField(max_length=20)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("guide document")
        verbose_name_plural = _("guide documents")
        ordering = ["edition", "created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:guide_document", args=[self.pk])


class ShowcaseCredit(models.Model):
    """Public credit line of a work imported from a past edition (no accounts behind it).

    ``authors`` is stored already masked where the author was a minor.
    """

    work = models.OneToOneField(
        "submissions.Work", on_delete=models.CASCADE, related_name="showcase_credit"
    )
    authors = models.CharField(_("authors"), max_length=200)
    advisors = models.CharField(_("advisors"), max_length=200, blank=True)
    award = models.CharField(_("award"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("showcase credit")
        verbose_name_plural = _("showcase credits")

    def __str__(self) -> str:
        return self.authors


class CaseQuestion(models.Model):
    """A signed-in teacher's question on a public teaching case, answered by its authors.

    Pre-moderated: visible to the public only after the committee approved it
    (``portal.questions.case_question_moderate``); every step is audited.
    """

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="case_questions")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_questions"
    )
    text = models.TextField(_("question"), max_length=1000)
    status = models.CharField(
        _("status"), max_length=12, choices=QuestionStatus.choices, default=QuestionStatus.PENDING
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("answer"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("question on a case")
        verbose_name_plural = _("questions on cases")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.text[:40]
