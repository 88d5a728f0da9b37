"""Race: many simultaneous submissions of one student leave exactly one submitted work."""

import threading

import pytest
from django.db import connection

from gongchuang.common.errors import DomainError
from gongchuang.submissions import services
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Authorship, Work
from tests.factories import people

from .helpers import complete_art_work

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
    barrier = threading.Barrier(THREADS)
    results: list = [None] * THREADS

    def submit(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            services.work_submit(work=works[n], actor=authors[n])
            results[n] = "submitted"
        except DomainError as exc:
            results[n] = exc.code
        except Exception as exc:
            results[n] = repr(exc)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(results) == ["one_work_per_student"] * (THREADS - 1) + ["submitted"]
    assert Work.objects.filter(state=WorkState.SUBMITTED).count() == 1
    assert Authorship.objects.filter(holds_slot=True).count() == 1
    submitted = Work.objects.get(state=WorkState.SUBMITTED)
    assert submitted.code == "2026-ART-HD-0001"


def test_same_work_submitted_from_several_tabs_gets_one_code(edition, roles):
    student = roles["student"]
    work = complete_art_work(edition, student)
    tabs = 5
    barrier = threading.Barrier(tabs)
    results: list = [None] * tabs

    def submit(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[n] = services.work_submit(work=work, actor=student).code
        except DomainError as exc:
            results[n] = exc.code
        except Exception as exc:  # reported by the assertion below
            results[n] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(tabs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(results) == ["2026-ART-HD-0001"] + ["not_editable"] * (tabs - 1)
    from gongchuang.common.models import AuditEvent

    assert AuditEvent.objects.for_object(work).filter(action="work.transition").count() == 1
