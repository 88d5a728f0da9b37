"""Concurrent delivery of one new score sheet (PostgreSQL-relevant) and the demo seeders."""

import datetime
import threading
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from gongchuang.accounts.enums import Role
from gongchuang.demo.accounts import seed_people
from gongchuang.demo.context import DemoContext
from gongchuang.demo.finals import seed_final, seed_past_final
from gongchuang.finals import services
from gongchuang.finals.enums import Attendance
from gongchuang.finals.models import Certificate, FinalEvent, Score
from gongchuang.publicity.enums import ListKind
from gongchuang.publicity.models import PublicityList
from gongchuang.submissions.enums import WorkState
from tests.factories import people


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
def test_demo_final_is_open_for_scoring_and_last_years_is_finished(edition):
    demo = DemoContext(edition=edition, now=timezone.now())
    seed_people(demo)
    expert_f = people.staff(Role.EXPERT, username="expert_f", real_name="冯研究员")
    for _ in range(2):  # idempotent
        seed_final(demo)
        seed_past_final(demo)

    event = FinalEvent.objects.get(edition=edition)
    assert (event.is_locked, event.is_published, event.results.count()) == (False, False, 0)
    assert event.sessions.count() == 5
    talk = event.sessions.get(kind="presentation")
    assert {j.username for j in talk.judges.all()} == {"expert", "expert_f"}
    assert talk.starts_at <= timezone.now() < talk.ends_at
    assert Score.objects.filter(session__event=event, judge=demo.users["expert"]).count() == 0
    assert Score.objects.filter(judge=expert_f, session=talk, is_complete=True).count() == 10
    assert set(edition.works.filter(state=WorkState.FINALIST).values_list(
        "created_by__username", flat=True
    )) == {"final1", "final2", "final3", "final4", "final5"}  # fmt: skip
    assert set(event.attendances.values_list("status", flat=True)) == {Attendance.CONFIRMED}
    assert event.sessions.get(kind="task_challenge").tasks.get().is_released
    # The open final can be scored and computed now (what the demo's visitor does next).
    work = talk.participants.first().work
    score, status = services.score_save(
        judge=demo.users["expert"], session=talk, work=work, kind="presentation",
        values={str(d.pk): 8 for d in work.category.rubric.all()}, client_uuid=uuid.uuid4(),
    )  # fmt: skip
    assert (status, score.total) == ("created", 80)

    past = FinalEvent.objects.get(edition__slug="demo-past")
    assert past.edition.year == edition.year - 1
    assert past.is_locked and past.is_published
    assert past.results_published_at < timezone.now() - datetime.timedelta(days=100)
    assert Score.objects.filter(session__event=past, is_complete=True).count() == 20
    assert past.edition.works.filter(state=WorkState.AWARDED).count() == 5
    assert sorted(Certificate.objects.filter(event=past).values_list("award", flat=True)) == [
        "三星作品", "三星作品", "五星作品", "五星作品", "四星作品", "四星作品", "最佳创意奖",
    ]  # fmt: skip
    assert Certificate.objects.get(event=past, user=demo.users["teacher"]).award == "五星作品"
    # Both finalist lists went through 公示 and are confirmed; last year's award list was
    # confirmed final before its results were published and its certificates issued.
    lists = PublicityList.objects.filter(kind=ListKind.FINALIST)
    assert sorted(lists.values_list("edition__slug", flat=True)) == ["demo-past", edition.slug]
    assert all(pl.is_final for pl in lists)
    award = PublicityList.objects.get(edition=past.edition, kind=ListKind.AWARD)
    assert award.ends_at <= award.final_at < past.results_published_at
    assert award.entries.count() == 5
    assert not PublicityList.objects.filter(edition=edition, kind=ListKind.AWARD).exists()
    edition.refresh_from_db()
    assert edition.settings["award_publicity_working_days"] == 0
