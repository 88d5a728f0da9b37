from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# Exports with more rows than this run as a background task with progress.
SYNC_EXPORT_LIMIT = 5000
# Rows fetched per database round trip when streaming an export.
EXPORT_CHUNK = 2000
