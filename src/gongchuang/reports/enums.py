from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# Exports with more rows than this run as a background task with progress.
SYNC_EXPORT_LIMIT = 5000
# Rows fetched per database round trip when streaming an export.
EXPORT_CHUNK = 2000


class Audience(models.TextChoices):
    """Who a feedback survey asks (one survey per audience and edition)."""

    STUDENTS = "students", _("Students")
    TEACHERS = "teachers", _("Teachers")
    EXPERTS = "experts", _("Experts")
    UNITS = "units", pgettext_lazy("audience", "Units")


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("Rating 1–5")
    TEXT = "text", _("Free text")


LIKERT_MIN, LIKERT_MAX = 1, 5
