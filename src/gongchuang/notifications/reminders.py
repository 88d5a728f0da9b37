"""Deadline reminders: 7 days and 1 day before a window closes, each sent once per person."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from gongchuang.accounts.enums import Role
from gongchuang.accounts.models import User
from gongchuang.editions.enums import Step
from gongchuang.editions.models import Edition, PhaseWindow
from gongchuang.editions.rules import edition_is_writable
from gongchuang.submissions.enums import AuthorRole, WorkState

from .models import ReminderSent
from .services import notify_kind

REMINDER_DAYS = (7, 1)


def _people_to_remind(window: PhaseWindow):
    """Who still has something to do before ``window`` closes."""
    edition_id = window.edition_id
    if window.step == Step.SUBMISSION:
        return User.objects.filter(
            authorships__edition_id=edition_id,
            authorships__role=AuthorRole.AUTHOR,
            authorships__work__state__in=[
                WorkState.DRAFT,
                WorkState.RETURNED,
                WorkState.SCHOOL_RETURNED,
            ],
        )
    if window.step == Step.SCHOOL_CONFIRMATION:
        # Coordinators of schools with works still waiting for them (none when the option
        # is off: nothing waits then).
        return User.objects.filter(
            memberships__role=Role.SCHOOL_COORDINATOR,
            memberships__school__works__edition_id=edition_id,
            memberships__school__works__state=WorkState.AWAITING_SCHOOL,
        )
    if window.step == Step.UNIT_REVIEW:
        return User.objects.filter(
            memberships__role=Role.UNIT_ORGANIZER,
            memberships__unit__works__edition_id=edition_id,
            memberships__unit__works__state=WorkState.SUBMITTED,
        )
    if window.step == Step.CITY_REVIEW:
        return User.objects.filter(Q(memberships__role=Role.COMMITTEE))
    if window.step == Step.EXPERT_REVIEW:
        return User.objects.filter(memberships__role=Role.EXPERT)
    return User.objects.none()


def _due_reminder(window: PhaseWindow, now: datetime.datetime) -> int | None:
    """Which reminder (days before) is due now for ``window``, if any: the closest one."""
    left = window.closes_at - now
    if left <= datetime.timedelta(0):
        return None
    for days in sorted(REMINDER_DAYS):
        if left <= datetime.timedelta(days=days):
            return days
    return None


def send_deadline_reminders(*, now: datetime.datetime | None = None) -> int:
    """Send every due reminder of the current edition once; returns how many were sent.

    Safe to run often (e.g. hourly) and concurrently: the unique marker decides
    who sends, so nobody gets the same reminder twice. An archived edition's
    windows remind nobody: nothing can be done in it any more.
    """
    now = now or timezone.now()
    edition = Edition.objects.current()
    if not edition_is_writable(edition):
        return 0
    sent = 0
    for window in edition.windows.all():
        days = _due_reminder(window, now)
        if days is None:
            continue
        for user in _people_to_remind(window).filter(is_active=True).distinct():
            try:
                with transaction.atomic():
                    ReminderSent.objects.create(
                        window=window, days_before=days, closes_at=window.closes_at, user=user
                    )
                    notify_kind(
                        recipients=[user],
                        kind="deadline.reminder",
                        context={
                            "name": user.display_name,
                            "edition": edition.name,
                            "step": window.get_step_display(),
                            "deadline": timezone.localtime(window.closes_at).strftime(
                                "%Y-%m-%d %H:%M"
                            ),
                            "days": max((window.closes_at - now).days, 0) or 1,
                        },
                    )
            except IntegrityError:
                continue  # already reminded (another run got there first)
            sent += 1
    return sent
