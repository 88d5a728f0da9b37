"""The on-site task challenge: tasks, per-finalist extensions, submissions."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongchuang.submissions.models import Work

from .programme import Session


def task_file_path(instance, filename: str) -> str:
    return f"finals/{secrets.token_hex(16)}"


class OnsiteTask(models.Model):
    """A task of the on-site challenge, hidden from finalists until released."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(pgettext_lazy("document", "title"), max_length=120)
    statement = models.TextField(_("task statement"))
    attachment = models.FileField(_("attachment"), upload_to=task_file_path, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    time_limit_minutes = models.PositiveIntegerField(_("time limit (minutes)"), default=90)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("on-site task")
        verbose_name_plural = _("on-site tasks")
        ordering = ["session", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_released(self) -> bool:
        return self.released_at is not None

    @property
    def base_deadline(self) -> datetime.datetime | None:
        if self.released_at is None:
            return None
        return self.released_at + datetime.timedelta(minutes=self.time_limit_minutes)


class TaskExtension(models.Model):
    """Extra minutes for one finalist on one task (audited, with a reason)."""

    task = models.ForeignKey(OnsiteTask, on_delete=models.CASCADE, related_name="extensions")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    minutes = models.PositiveIntegerField(_("extra minutes"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.work} +{self.minutes}"


class TaskSubmission(models.Model):
    """A finalist's result of an on-site task (latest version, accepted before the deadline)."""

    task = models.ForeignKey(OnsiteTask, on_delete=models.CASCADE, related_name="submissions")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="task_submissions")
    text = models.TextField(_("answer or notes"), blank=True)
    link = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to=task_file_path, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("task submission")
        verbose_name_plural = _("task submissions")
        constraints = [
            models.UniqueConstraint(fields=["task", "work"], name="task_submission_unique")
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.work}"
