"""Working-day arithmetic for publicity windows (pure functions, no database)."""

import datetime
from collections.abc import Collection


def is_working_day(
    day: datetime.date,
    *,
    holidays: Collection[datetime.date] = (),
    extra_workdays: Collection[datetime.date] = (),
) -> bool:
    """Monday–Friday, minus public holidays, plus weekend days declared working days (调休)."""
    if day in extra_workdays:
        return True
    return day.weekday() < 5 and day not in holidays


def publicity_end(
    published_at: datetime.datetime,
    working_days: int,
    *,
    holidays: Collection[datetime.date] = (),
    extra_workdays: Collection[datetime.date] = (),
) -> datetime.datetime:
    """When a publicity window of ``working_days`` opened at ``published_at`` closes.

    The publication day counts as day 1 when it is a working day; otherwise
    counting starts on the next working day. The window closes at midnight
    (local time of ``published_at``) at the end of the last working day. With
    ``working_days == 0`` the window closes the moment it opens.
    """
    if working_days < 0:
        raise ValueError("working_days must not be negative")
    if working_days == 0:  # an edition may set no window: it closes at publication
        return published_at
    day = published_at.date()
    counted = 0
    while True:
        if is_working_day(day, holidays=holidays, extra_workdays=extra_workdays):
            counted += 1
            if counted == working_days:
                break
        day += datetime.timedelta(days=1)
    end_day = day + datetime.timedelta(days=1)
    return datetime.datetime.combine(end_day, datetime.time.min, tzinfo=published_at.tzinfo)
