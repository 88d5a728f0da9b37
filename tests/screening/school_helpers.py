"""School confirmation (学校确认) for tests: turn the edition's option on, close its window."""

import datetime

from django.utils import timezone

from gongchuang.editions.enums import Step
from gongchuang.editions.models import PhaseWindow
from gongchuang.editions.services import edition_school_confirmation_update

DAY = datetime.timedelta(days=1)


def turn_on(edition, committee, *, closes_in=DAY * 10):
    """The option on with a window open from yesterday until ``closes_in`` from now."""
    now = timezone.now()
    edition_school_confirmation_update(
        edition=edition,
        actor=committee,
        values={
            "enabled": True,
            "opens_at": now - DAY,
            "closes_at": now + closes_in,
            "reason": "试点学校确认",
        },
    )
    edition.refresh_from_db()
    return edition


def close_window(edition):
    now = timezone.now()
    PhaseWindow.objects.filter(edition=edition, step=Step.SCHOOL_CONFIRMATION).update(
        opens_at=now - 3 * DAY, closes_at=now - DAY
    )
