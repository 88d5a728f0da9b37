"""A few inbox messages for the demo users (idempotent)."""

from django.utils import timezone

from gongchuang.notifications.models import Notification
from gongchuang.notifications.services import notify_kind


def _deadline(window) -> str:
    """As the real reminders write it (reminders.py): local time, not UTC."""
    return timezone.localtime(window.closes_at).strftime("%Y-%m-%d %H:%M") if window else ""


def _days(window) -> int:
    """Whole days left, as reminders.py counts them."""
    return max((window.closes_at - timezone.now()).days, 0) or 1 if window else 7


def seed_messages(demo) -> None:
    student = demo.users.get("student")
    if (
        student is None
        or Notification.objects.filter(recipient=student, kind="deadline.reminder").exists()
    ):
        return
    window = demo.edition.window("submission")
    deadline = _deadline(window)
    for key in ("student", "student_young", "teacher"):
        user = demo.users.get(key)
        if user is None:
            continue
        notify_kind(
            recipients=[user],
            kind="deadline.reminder",
            context={
                "name": user.display_name,
                "edition": demo.edition.name,
                "step": window.get_step_display() if window else "",
                "deadline": deadline,
                "days": _days(window),
            },
        )
    organizer = demo.users.get("organizer")
    review = demo.edition.window("unit_review")
    if organizer is not None and review is not None:
        notify_kind(
            recipients=[organizer],
            kind="deadline.reminder",
            context={
                "name": organizer.display_name,
                "edition": demo.edition.name,
                "step": review.get_step_display(),
                "deadline": _deadline(review),
                "days": _days(review),
            },
        )
