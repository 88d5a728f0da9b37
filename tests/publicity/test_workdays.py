import datetime
from zoneinfo import ZoneInfo

import pytest

from gongchuang.publicity.workdays import is_working_day, publicity_end

TZ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10):
    return datetime.datetime(y, m, d, h, tzinfo=TZ)


def test_five_working_days_from_thursday_skip_the_weekend():
    # Thu 2026-03-05, Fri 06, (Sat 07, Sun 08), Mon 09, Tue 10, Wed 11 → closes Thu 12 00:00
    assert publicity_end(at(2026, 3, 5), 5) == at(2026, 3, 12, 0)


def test_holiday_is_skipped_too():
    # Mon 2026-03-09 declared a holiday: the window runs to Thu 12 inclusive.
    assert publicity_end(at(2026, 3, 5), 5, holidays={datetime.date(2026, 3, 9)}) == at(
        2026, 3, 13, 0
    )


def test_publication_on_a_weekend_starts_counting_on_monday():
    # Sat 2026-03-07 → Mon 09 … Fri 13 → closes Sat 14 00:00
    assert publicity_end(at(2026, 3, 7), 5) == at(2026, 3, 14, 0)


def test_weekend_day_worked_in_lieu_counts():
    # National-day style swap: Sun 2026-10-11 is a working day, 1–7 Oct are holidays.
    holidays = {datetime.date(2026, 10, d) for d in range(1, 8)}
    lieu = {datetime.date(2026, 10, 11)}
    # Published Wed 30 Sep: 30 Sep (1), Thu 8 Oct (2), Fri 9 (3), Sun 11 (4), Mon 12 (5)
    assert publicity_end(at(2026, 9, 30), 5, holidays=holidays, extra_workdays=lieu) == at(
        2026, 10, 13, 0
    )
    # Without the swapped Sunday the window runs one day longer.
    assert publicity_end(at(2026, 9, 30), 5, holidays=holidays) == at(2026, 10, 14, 0)
    assert is_working_day(datetime.date(2026, 10, 11), extra_workdays=lieu) is True
    assert is_working_day(datetime.date(2026, 10, 10)) is False


def test_zero_days_closes_at_publication_and_negative_is_an_error():
    assert publicity_end(at(2026, 3, 5), 0) == at(2026, 3, 5)
    assert publicity_end(at(2026, 3, 7), 0) == at(2026, 3, 7)  # a Saturday too
    with pytest.raises(ValueError):
        publicity_end(at(2026, 3, 5), -1)
