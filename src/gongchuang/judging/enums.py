from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentSource(models.TextChoices):
    AUTO = "auto", _("Solver")
    MANUAL = "manual", _("Added by hand")
    EXTRA = "extra", _("Extra expert (disagreement)")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class SelectionRule(models.TextChoices):
    COUNT = "count", _("Number of works")
    SHARE = "share", _("Share of works (%)")


# Version of the confidentiality pledge text (templates/judging/pledge.html); bump when it changes.
PLEDGE_VERSION = "2026-1"
# Calibration wants every expert to review at least this many works.
MIN_WORKS_FOR_CALIBRATION = 10
