from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SessionKind(models.TextChoices):
    PRESENTATION = "presentation", _("Presentation")
    TASK_CHALLENGE = "task_challenge", _("On-site task challenge")
    TEACHING_EXCHANGE = "teaching_exchange", _("Teaching-case exchange")
    EXPERT_GUIDANCE = "expert_guidance", _("Expert guidance")
    PUBLIC_DISPLAY = "public_display", _("Public display")


class ScoreKind(models.TextChoices):
    PRESENTATION = "presentation", pgettext_lazy("score kind", "Presentation")
    TASK = "task", pgettext_lazy("score kind", "On-site task")


# Which score sheets a judge fills in a session of each kind. A presentation panel
# also scores the group's on-site task result (it is judged right after the talk);
# a task-challenge session is scored for the task only.
SESSION_SCORE_KINDS: dict[str, tuple[str, ...]] = {
    SessionKind.PRESENTATION: (ScoreKind.PRESENTATION, ScoreKind.TASK),
    SessionKind.TASK_CHALLENGE: (ScoreKind.TASK,),
}


class StarLevel(models.TextChoices):
    FIVE = "five", _("Five-star work")
    FOUR = "four", _("Four-star work")
    THREE = "three", _("Three-star work")


class Attendance(models.TextChoices):
    PENDING = "pending", _("Not yet confirmed")
    CONFIRMED = "confirmed", _("Attendance confirmed")
    WITHDRAWN = "withdrawn", _("Withdrawn from the final")


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# Each rubric dimension is scored on this scale on the phone; a sheet's total is
# sum(weight × value) / SCORE_MAX, i.e. 0–100 when the weights add up to 100.
SCORE_MIN = 0
SCORE_MAX = 10
