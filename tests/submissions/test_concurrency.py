"""Race: many simultaneous submissions of one student leave exactly one submitted work."""

import pytest
from django.db import connection

from gongchuang.submissions import services
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Authorship, Work
from tests.factories import people

from .helpers import at_once, complete_art_work

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 20


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks and concurrent transactions)")


def test_twenty_parallel_submits_of_one_student_leave_one_submitted_work(edition, roles, units):
    student = roles["student"]
    # A second account of the same person (same name, birth date, school): same identity.
    twin = people.student(
        units["hd_school"], real_name="李明", birth_date=student.student_profile.birth_date
    )
    authors = [student if n % 2 == 0 else twin for n in range(THREADS)]
    works = [
        complete_art_work(edition, author, title=f"作品{n}") for n, author in enumerate(authors)
    ]

    def submit(n: int):
        return lambda: services.work_submit(work=works[n], actor=authors[n]).state

    results = at_once([submit(n) for n in range(THREADS)])

    assert sorted(results) == ["one_work_per_student"] * (THREADS - 1) + ["submitted"]
    assert Work.objects.filter(state=WorkState.SUBMITTED).count() == 1
    assert Authorship.objects.filter(holds_slot=True).count() == 1
    submitted = Work.objects.get(state=WorkState.SUBMITTED)
    assert submitted.code == "2026-ART-HD-0001"


def test_same_work_submitted_from_several_tabs_gets_one_code(edition, roles):
    student = roles["student"]
    work = complete_art_work(edition, student)
    tabs = 5
    results = at_once([lambda: services.work_submit(work=work, actor=student).code] * tabs)

    assert sorted(results) == ["2026-ART-HD-0001"] + ["not_editable"] * (tabs - 1)
    from gongchuang.common.models import AuditEvent

    assert AuditEvent.objects.for_object(work).filter(action="work.transition").count() == 1
