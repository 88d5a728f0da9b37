from django.db import models
from django.utils.translation import gettext_lazy as _

from gongchuang.submissions.enums import WorkState


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")


# Kinds of work files the public may open (never archives, documents or audio).
PUBLIC_FILE_KINDS = frozenset({"image", "video", "pdf"})
# What a teaching case licensed for download offers (its lesson plans may be Word or slides).
CASE_DOWNLOAD_KINDS = PUBLIC_FILE_KINDS | {"docx", "pptx"}
# What may be attached to a notice or a guide, and how large.
ATTACHMENT_KINDS = frozenset({"pdf", "docx", "pptx", "xlsx", "zip", "image"})
ATTACHMENT_MAX_BYTES = 50 * 1024 * 1024

# Work states that may be shown in the public showcase: qualified by the city or later
# (never a submitted, returned, rejected, disqualified or withdrawn work).
SHOWCASE_STATES = frozenset(
    {
        WorkState.QUALIFIED,
        WorkState.REVIEWED,
        WorkState.FINALIST,
        WorkState.NOT_SELECTED,
        WorkState.AWARDED,
        WorkState.PARTICIPATED,
    }
)


class QuestionStatus(models.TextChoices):
    """A question on a teaching case: shown only once the committee approved it."""

    PENDING = "pending", _("Awaiting moderation")
    APPROVED = "approved", _("Published")
    REJECTED = "rejected", _("Rejected")
