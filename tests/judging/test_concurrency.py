"""PostgreSQL: simultaneous approvals and extra-expert requests stay consistent."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from gongchuang.common.errors import DomainError
from gongchuang.judging import services
from gongchuang.judging.enums import SelectionRule
from gongchuang.judging.models import Assignment, FinalistEntry, FinalistList, Jury
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from tests.factories.works import qualified_work, rubric_values

from .helpers import expert

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]


def _race(n, func):
    barrier = threading.Barrier(n)
    outcomes, lock = [], threading.Lock()

    def run(i):
        try:
            barrier.wait(timeout=30)
            func(i)
            result = "ok"
        except DomainError as exc:
            result = exc.code
        except Exception as exc:  # reported by the assertion
            result = f"{type(exc).__name__}: {exc}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return sorted(outcomes)


def _jury(edition, units, roles, n_experts=2, n_works=3, k=1):
    committee = roles["committee"]
    works = [
        qualified_work(edition, units["cy_school"], committee=committee) for _ in range(n_works)
    ]
    experts = [expert(committee=committee) for _ in range(n_experts)]
    jury = services.jury_create(
        edition=edition, category=works[0].category, members=experts, actor=committee, k=k
    )
    services.jury_solve(jury=jury, actor=committee)
    return jury, works


def test_two_simultaneous_approvals_create_one_list(edition, units, roles):
    jury, works = _jury(edition, units, roles)
    for i, a in enumerate(Assignment.objects.filter(jury=jury).select_related("work__category")):
        services.review_save(
            assignment=a, scores=rubric_values(a.work, 9 - i), submit=True, actor=a.expert
        )
    committee = roles["committee"]

    def approve(_i):
        services.finalists_approve(
            jury=Jury.objects.get(pk=jury.pk), level="junior", rule=SelectionRule.COUNT,
            value=1, actor=type(committee).objects.get(pk=committee.pk),
        )  # fmt: skip

    outcomes = _race(4, approve)
    assert outcomes.count("ok") == 1, outcomes
    assert set(outcomes) <= {"ok", "already"}, outcomes
    assert FinalistList.objects.count() == 1
    assert FinalistEntry.objects.count() == 1
    states = sorted(
        Work.objects.filter(pk__in=[w.pk for w in works]).values_list("state", flat=True)
    )
    assert states == sorted([WorkState.FINALIST] + [WorkState.NOT_SELECTED] * 2)


def test_simultaneous_extra_expert_requests_add_distinct_experts(edition, units, roles):
    jury, works = _jury(edition, units, roles, n_experts=4, n_works=1, k=1)
    committee = roles["committee"]

    def extra(_i):
        services.assignment_request_extra(
            jury=Jury.objects.get(pk=jury.pk), work=Work.objects.get(pk=works[0].pk),
            actor=type(committee).objects.get(pk=committee.pk),
        )  # fmt: skip

    outcomes = _race(3, extra)
    assert outcomes == ["ok", "ok", "ok"], outcomes
    experts = list(
        Assignment.objects.filter(jury=jury, work=works[0]).values_list("expert_id", flat=True)
    )
    assert len(experts) == len(set(experts)) == 4
