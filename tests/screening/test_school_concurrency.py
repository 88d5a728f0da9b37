"""School confirmation under real concurrency (PostgreSQL): two coordinators of one school
confirming at once; two bulk confirmations of overlapping selections."""

import pytest
from django.conf import settings

from gongchuang.accounts.enums import Role
from gongchuang.accounts.models import User
from gongchuang.editions.models import Edition
from gongchuang.screening.enums import Stage
from gongchuang.screening.models import Review
from gongchuang.screening.school import school_confirm, school_confirm_bulk, school_return
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from gongchuang.submissions.services import transition_work
from tests.factories import people
from tests.submissions.helpers import at_once

from . import factories
from .school_helpers import turn_on

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]


def _waiting(edition, units, n):
    works = []
    for _ in range(n):
        work = factories.work(edition, unit=units["hd"], school=units["hd_school"], submit=False)
        works.append(transition_work(work, WorkState.AWAITING_SCHOOL, actor=work.created_by))
    return works


def _fresh(pk):
    work = Work.objects.get(pk=pk)
    work.edition = Edition.objects.prefetch_related("windows").get(pk=work.edition_id)
    return work


def test_two_coordinators_confirming_one_work_at_once_confirm_it_once(edition, roles, units):
    turn_on(edition, roles["committee"])
    (work,) = _waiting(edition, units, 1)
    colleague = people.staff(Role.SCHOOL_COORDINATOR, unit=units["hd"], school=units["hd_school"])
    actors = [roles["coordinator"].pk, colleague.pk]
    results = at_once(
        [
            lambda a=a: school_confirm(work=_fresh(work.pk), actor=User.objects.get(pk=a)).state
            for a in actors
        ]
    )
    assert sorted(results) == ["already_decided", WorkState.SUBMITTED]
    assert Work.objects.get(pk=work.pk).state == WorkState.SUBMITTED
    assert Review.objects.filter(work=work, stage=Stage.SCHOOL).count() == 1


def test_confirm_and_return_at_once_one_wins_and_the_other_is_refused(edition, roles, units):
    turn_on(edition, roles["committee"])
    (work,) = _waiting(edition, units, 1)
    colleague = people.staff(Role.SCHOOL_COORDINATOR, unit=units["hd"], school=units["hd_school"])
    results = at_once(
        [
            lambda: (
                school_confirm(
                    work=_fresh(work.pk), actor=User.objects.get(pk=roles["coordinator"].pk)
                ).state
            ),
            lambda: (
                school_return(
                    work=_fresh(work.pk), actor=User.objects.get(pk=colleague.pk), reason="补充"
                ).state
            ),
        ]
    )
    assert results.count("already_decided") == 1
    final = Work.objects.get(pk=work.pk).state
    assert final in (WorkState.SUBMITTED, WorkState.SCHOOL_RETURNED)
    assert [r for r in results if r != "already_decided"] == [final]
    assert Review.objects.filter(work=work).count() == 1


def test_overlapping_bulk_confirmations_confirm_each_work_once(edition, roles, units):
    turn_on(edition, roles["committee"])
    works = _waiting(edition, units, 6)
    colleague = people.staff(Role.SCHOOL_COORDINATOR, unit=units["hd"], school=units["hd_school"])
    ids = [w.pk for w in works]

    def bulk(actor_pk, pks):
        edition_now = Edition.objects.prefetch_related("windows").get(pk=edition.pk)
        return school_confirm_bulk(
            works=list(Work.objects.filter(pk__in=pks)),
            actor=User.objects.get(pk=actor_pk),
            edition=edition_now,
        )

    results = at_once(
        [
            lambda: bulk(roles["coordinator"].pk, ids[:4]),
            lambda: bulk(colleague.pk, ids[2:]),
        ]
    )
    assert sum(confirmed for confirmed, _skipped in results) == 6
    assert sum(skipped for _confirmed, skipped in results) == 2
    assert set(Work.objects.values_list("state", flat=True)) == {WorkState.SUBMITTED}
    assert Review.objects.filter(stage=Stage.SCHOOL).count() == 6
