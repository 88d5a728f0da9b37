"""Reminders of the school confirmation window (学校确认): coordinators with works still
waiting, 7 days and 1 day before it closes, once each; nobody else."""

import datetime

import pytest
from django.core.management import call_command

from gongchuang.accounts.enums import Role
from gongchuang.notifications.models import Notification
from gongchuang.notifications.reminders import send_deadline_reminders
from gongchuang.screening.school import school_confirm
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.services import transition_work
from tests.factories import people
from tests.screening import factories
from tests.screening.school_helpers import turn_on

pytestmark = pytest.mark.django_db


def _waiting_work(edition, units, school="hd_school"):
    work = factories.work(edition, unit=units["hd"], school=units[school], submit=False)
    return transition_work(work, WorkState.AWAITING_SCHOOL, actor=work.created_by)


def test_coordinators_with_waiting_works_are_reminded_once_per_step(edition, roles, units):
    turn_on(edition, roles["committee"], closes_in=datetime.timedelta(days=6, hours=12))
    work = _waiting_work(edition, units)
    idle = people.staff(Role.SCHOOL_COORDINATOR, unit=units["hd"], school=units["hd_school2"])

    assert send_deadline_reminders() == 1
    call_command("send_deadline_reminders")
    reminders = Notification.objects.filter(kind="deadline.reminder")
    assert list(reminders.values_list("recipient", flat=True)) == [roles["coordinator"].pk]
    assert "学校确认" in reminders.get().body
    assert not Notification.objects.filter(recipient=idle).exists()

    window = edition.window("school_confirmation")
    later = window.closes_at - datetime.timedelta(hours=20)
    assert send_deadline_reminders(now=later) == 1
    assert send_deadline_reminders(now=later) == 0
    assert work.state == WorkState.AWAITING_SCHOOL


def test_no_reminder_once_everything_is_confirmed(edition, roles, units):
    turn_on(edition, roles["committee"], closes_in=datetime.timedelta(days=2))
    work = _waiting_work(edition, units)
    school_confirm(work=work, actor=roles["coordinator"])
    assert send_deadline_reminders() == 0
