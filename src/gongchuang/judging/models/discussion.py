"""A jury's discussion of a work and its lead's consensus note."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongchuang.submissions.models import Work

from .juries import Jury


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
    body = models.TextField(pgettext_lazy("discussion", "message"))
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
