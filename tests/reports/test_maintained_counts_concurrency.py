"""Concurrent changes of the same figures all count (PostgreSQL: real concurrent writers).

Eight transactions at once move works of one unit × category × level from submitted to
recommended (each decrements and increments the same two ``WorkCount`` rows), then eight
experts submit reviews of one jury at once (the same ``JuryCount`` row): the kept rows must
equal a recount — an increment is done by the database on the locked row, not read and
written back, so none is lost.
"""

import threading

import pytest
from django.db import connection

from gongchuang.judging import services as judging
from gongchuang.judging.models import Assignment
from gongchuang.reports.counts import differences
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work, WorkCount
from gongchuang.submissions.services import transition_work
from tests.factories import people
from tests.factories.works import WorkFactory, move, qualified_work, rubric_values
from tests.judging.helpers import expert

THREADS = 8


def _at_once(calls) -> list[Exception]:
    barrier = threading.Barrier(len(calls))
    errors: list[Exception] = []

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_simultaneous_transitions_and_reviews_all_count(edition, units, roles):
    if connection.vendor != "postgresql":
        pytest.skip("the in-memory SQLite test database does not allow concurrent writers")
    committee = roles["committee"]
    works = []
    for _ in range(THREADS):
        work = WorkFactory(edition=edition, author=people.student(units["hd_school"]))
        works.append(move(work, WorkState.SUBMITTED, actor=work.created_by))
    errors = _at_once(
        [lambda w=w: transition_work(w, WorkState.RECOMMENDED, actor=committee) for w in works]
    )
    assert errors == []
    recommended = WorkCount.objects.get(
        edition=edition,
        unit=units["hd"],
        category=works[0].category,
        level=works[0].level,
        state=WorkState.RECOMMENDED,
    )
    assert recommended.n == THREADS
    assert differences(edition.pk) == []

    qualified = [qualified_work(edition, units["cy_school"], committee=committee) for _ in range(2)]
    experts = [expert(committee=committee) for _ in range(THREADS)]
    jury = judging.jury_create(
        edition=edition,
        category=qualified[0].category,
        members=experts,
        actor=committee,
        k=THREADS,
    )
    judging.jury_solve(jury=jury, actor=committee)
    assignments = list(
        Assignment.objects.filter(jury=jury, forbidden=False, work=qualified[0]).select_related(
            "work__category", "expert"
        )
    )
    assert len(assignments) == THREADS
    errors = _at_once(
        [
            lambda a=a: judging.review_save(
                assignment=a, scores=rubric_values(a.work, 8), submit=True, actor=a.expert
            )
            for a in assignments
        ]
    )
    assert errors == []
    assert differences(edition.pk) == []
    assert Work.objects.filter(edition=edition).count() == THREADS + 2
