from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Track(models.TextChoices):
    STUDENT = "student", _("Youth AI application practice")
    TEACHER = "teacher", _("Teachers' AI innovative teaching cases")


class CategoryCode(models.TextChoices):
    AI_ART = "ai_art", _("AI art creation")
    AI_AGENT = "ai_agent", _("AI agent application")
    AI_SCIENTIST = "ai_scientist", _("AI “scientist”")
    AI_COMPANY = "ai_company", _("AI “one-person company”")
    TEACHING_CASE = "teaching_case", _("AI innovative teaching case")


class Step(models.TextChoices):
    """Dated windows of an edition; phase 2 has one window per step."""

    PREPARATION = "preparation", _("Preparation")
    SUBMISSION = "submission", _("Online submission")
    SCHOOL_CONFIRMATION = "school_confirmation", _("School confirmation")
    UNIT_REVIEW = "unit_review", _("Unit qualification review")
    CITY_REVIEW = "city_review", _("City review")
    EXPERT_REVIEW = "expert_review", _("Expert online review")
    FINALIST_ANNOUNCEMENT = "finalist_announcement", _("Finalist announcement")
    FINAL = "final", _("Offline final")
    # With a context: Django's admin catalogue comes first and says 概览 for "Summary".
    SUMMARY = "summary", pgettext_lazy("edition step", "Summary")


class Phase(models.IntegerChoices):
    PREPARATION = 1, _("Phase 1: preparation")
    SUBMISSION_AND_REVIEW = 2, _("Phase 2: submission and preliminary review")
    FINAL = 3, _("Phase 3: final")
    SUMMARY = 4, _("Phase 4: summary")


STEP_PHASE = {
    Step.PREPARATION: Phase.PREPARATION,
    Step.SUBMISSION: Phase.SUBMISSION_AND_REVIEW,
    Step.SCHOOL_CONFIRMATION: Phase.SUBMISSION_AND_REVIEW,
    Step.UNIT_REVIEW: Phase.SUBMISSION_AND_REVIEW,
    Step.CITY_REVIEW: Phase.SUBMISSION_AND_REVIEW,
    Step.EXPERT_REVIEW: Phase.SUBMISSION_AND_REVIEW,
    Step.FINALIST_ANNOUNCEMENT: Phase.SUBMISSION_AND_REVIEW,
    Step.FINAL: Phase.FINAL,
    Step.SUMMARY: Phase.SUMMARY,
}


class MaterialKind(models.TextChoices):
    """File kinds a category's material may accept (``submissions`` checks uploads by
    content against them)."""

    IMAGE = "image", _("Image (PNG/JPG)")
    VIDEO = "video", _("Video (MP4)")
    AUDIO = "audio", _("Audio")
    PDF = "pdf", "PDF"
    DOCX = "docx", _("Word document")
    PPTX = "pptx", _("PowerPoint slides")
    XLSX = "xlsx", _("Excel workbook")
    ZIP = "zip", _("ZIP archive")


class ImageKind(models.TextChoices):
    """The edition's identity images (``EditionImage``)."""

    BANNER = "banner", _("Banner")
    LOGO = "logo", _("Organiser's logo")
    SEAL = "seal", _("Seal")
