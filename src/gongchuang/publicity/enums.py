from django.db import models
from django.utils.translation import gettext_lazy as _

from gongchuang.common.state import TransitionTable


class ListKind(models.TextChoices):
    FINALIST = "finalist", _("Finalist list")
    AWARD = "award", _("Award list")


class ObjectionState(models.TextChoices):
    RECEIVED = "received", _("Received")
    INVESTIGATING = "investigating", _("Under investigation")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


OS = ObjectionState
OBJECTION_TRANSITIONS = TransitionTable(
    [
        (OS.RECEIVED, OS.INVESTIGATING),
        (OS.RECEIVED, OS.UPHELD),
        (OS.RECEIVED, OS.DISMISSED),
        (OS.INVESTIGATING, OS.UPHELD),
        (OS.INVESTIGATING, OS.DISMISSED),
    ]
)
PENDING_OBJECTION_STATES = frozenset({OS.RECEIVED, OS.INVESTIGATING})


class StatementFrom(models.TextChoices):
    AUTHORS = "authors", _("The work's authors and advisors")
    UNIT = "unit", _("The work's organising unit")
