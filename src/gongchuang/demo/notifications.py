"""A few inbox messages for the demo users (idempotent)."""


from gongchuang.notifications.models import Notification
from gongchuang.notifications.services import notify_kind


def seed_messages(demo) -> None:
    student = demo.users.get("student")
    if (
        student is None
        or Notification.objects.filter(recipient=student, kind="deadline.reminder").exists()
    ):
        return
    window = demo.edition.window("submission")
    deadline = window.closes_at.strftime("%Y-%m-%d %H:%M") if window else ""
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
                "step": "网上申报",
                "deadline": deadline,
                "days": 7,
            },
        )
    organizer = demo.users.get("organizer")
    if organizer is not None:
        notify_kind(
            recipients=[organizer],
            kind="deadline.reminder",
            context={
                "name": organizer.display_name,
                "edition": demo.edition.name,
                "step": "单位资格审查",
                "deadline": deadline,
                "days": 7,
            },
        )
