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


O = ObjectionState
OBJECTION_TRANSITIONS = TransitionTable(
    [
        (O.RECEIVED, O.INVESTIGATING),
        (O.RECEIVED, O.UPHELD),
        (O.RECEIVED, O.DISMISSED),
        (O.INVESTIGATING, O.UPHELD),
        (O.INVESTIGATING, O.DISMISSED),
    ]
)
PENDING_OBJECTION_STATES = frozenset({O.RECEIVED, O.INVESTIGATING})


class StatementFrom(models.TextChoices):
    AUTHORS = "authors", _("The work's authors and advisors")
    UNIT = "unit", _("The work's organising unit")
