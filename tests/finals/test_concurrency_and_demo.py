"""Concurrent delivery of one new score sheet (PostgreSQL-relevant) and the demo seeder."""

import threading
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from gongchuang.accounts.demo import seed_people
from gongchuang.common.management.commands.seed_demo import DemoContext
from gongchuang.finals import services
from gongchuang.finals.demo import seed_final
from gongchuang.finals.models import Certificate, FinalEvent, Score
from gongchuang.submissions.enums import WorkState


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_deliveries_of_a_new_sheet_make_one_row(
    session, finalist_factory, units, judge, roles
):
    if connection.vendor != "postgresql":
        pytest.skip("the in-memory SQLite test database does not allow concurrent writers")
    work = finalist_factory(school=units["hd_school"])
    services.session_add_participant(session=session, work=work, actor=roles["committee"])
    services.session_add_judge(session=session, judge=judge, actor=roles["committee"])
    item = {
        "client_uuid": str(uuid.uuid4()),
        "session": session.pk,
        "work": work.pk,
        "kind": "presentation",
        "values": {str(d.pk): 7 for d in work.category.rubric.all()},
        "rev": 1,
    }
    barrier = threading.Barrier(4)
    statuses, errors = [], []

    def deliver():
        try:
            barrier.wait()
            statuses.extend(r["status"] for r in services.scores_sync(judge=judge, items=[item]))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(statuses) == ["created", "unchanged", "unchanged", "unchanged"]
    assert Score.objects.filter(work=work).count() == 1


@pytest.mark.django_db
def test_demo_seeder_builds_a_published_final(edition):
    demo = DemoContext(edition=edition, now=timezone.now())
    seed_people(demo)
    seed_final(demo)
    seed_final(demo)  # idempotent
    event = FinalEvent.objects.get(edition=edition)
    assert event.is_published and event.sessions.count() == 5
    assert Score.objects.filter(session__event=event, is_complete=True).count() == 10
    awarded = event.edition.works.filter(state=WorkState.AWARDED).count()
    assert awarded == 5
    assert Certificate.objects.filter(event=event, award="五星作品").exists()
    assert Certificate.objects.filter(event=event, award="最佳创意奖").exists()
    assert Certificate.objects.filter(event=event, user=demo.users["teacher"]).exists()
