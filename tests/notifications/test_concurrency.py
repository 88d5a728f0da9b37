import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from gongchuang.notifications.models import Notification, ReminderSent
from gongchuang.notifications.reminders import send_deadline_reminders
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.services import transition_work
from tests.factories import people
from tests.factories.works import submitted_work

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
    pytest.mark.django_db(transaction=True),
]


def test_concurrent_reminder_runs_send_each_reminder_once(roles, units, edition):
    students = [roles["student"]] + [
        people.student(units["hd_school"], real_name=f"并发{i}") for i in range(4)
    ]
    for student in students:
        work = submitted_work(edition, student, title=f"作品{student.pk}")
        transition_work(work, WorkState.RETURNED, actor=roles["organizer"], reason="补材料")
    window = edition.window("submission")
    window.closes_at = timezone.now() + datetime.timedelta(days=5)
    window.save(update_fields=["closes_at"])
    edition.windows.exclude(pk=window.pk).update(
        closes_at=timezone.now() + datetime.timedelta(days=90)
    )

    barrier = threading.Barrier(4)
    counts = []

    def run():
        try:
            barrier.wait()
            counts.append(send_deadline_reminders())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sum(counts) == len(students)
    assert ReminderSent.objects.count() == len(students)
    for student in students:
        assert Notification.objects.filter(recipient=student, kind="deadline.reminder").count() == 1
