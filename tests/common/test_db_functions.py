"""LocalDate: the calendar day of a moment in a time zone, the same on every database."""

import datetime
import zoneinfo

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from gongchuang.common.db.functions import LocalDate

UTC = datetime.UTC
BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")

# Moments around midnight in Beijing and around a daylight-saving change in Berlin.
MOMENTS = [
    datetime.datetime(2026, 5, 31, 15, 59, 59, tzinfo=UTC),  # 23:59:59 in Beijing
    datetime.datetime(2026, 5, 31, 16, 0, 0, tzinfo=UTC),  # 00:00 on 1 June in Beijing
    datetime.datetime(2026, 3, 28, 23, 30, tzinfo=UTC),  # 00:30 CET, 29 March in Berlin
    datetime.datetime(2026, 3, 29, 22, 30, tzinfo=UTC),  # 00:30 CEST, 30 March in Berlin
    datetime.datetime(2026, 12, 31, 20, 0, tzinfo=UTC),
]


@pytest.fixture
def users_at_moments(db):
    User = get_user_model()
    users = [User.objects.create(username=f"moment{i}") for i in range(len(MOMENTS))]
    for user, moment in zip(users, MOMENTS, strict=True):
        User.objects.filter(pk=user.pk).update(date_joined=moment)
    return users


@pytest.mark.parametrize("zone", [BEIJING, BERLIN], ids=["fixed offset", "daylight saving"])
def test_local_date_is_the_day_in_the_zone(users_at_moments, zone):
    User = get_user_model()
    days = dict(
        User.objects.filter(pk__in=[u.pk for u in users_at_moments])
        .annotate(day=LocalDate("date_joined", tzinfo=zone))
        .values_list("pk", "day")
    )
    expected = {
        user.pk: moment.astimezone(zone).date()
        for user, moment in zip(users_at_moments, MOMENTS, strict=True)
    }
    assert days == expected


def test_local_date_defaults_to_the_current_zone(users_at_moments):
    User = get_user_model()
    with timezone.override(BEIJING):
        first = (
            User.objects.filter(pk=users_at_moments[1].pk)
            .annotate(day=LocalDate("date_joined"))
            .values_list("day", flat=True)
            .get()
        )
    assert first == datetime.date(2026, 6, 1)
