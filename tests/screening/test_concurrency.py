"""Concurrent recommendations on PostgreSQL never exceed the unit's quota."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from gongchuang.accounts.enums import Role
from gongchuang.common.errors import DomainError
from gongchuang.screening import services
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from tests.factories import people

from . import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL"
    ),
]


@pytest.mark.django_db(transaction=True)
def test_forty_concurrent_recommendations_fill_exactly_the_ten_places_left(edition, units, roles):
    organizers = [roles["organizer"], people.staff(Role.UNIT_ORGANIZER, unit=units["hd"])]
    for _ in range(20):
        w = factories.work(edition, unit=units["hd"], school=units["hd_school"])
        services.work_recommend(work=w, actor=organizers[0])
    candidates = [
        factories.work(edition, unit=units["hd"], school=units["hd_school"]) for _ in range(40)
    ]
    barrier = threading.Barrier(len(candidates))
    outcomes: list[str] = []
    lock = threading.Lock()

    def recommend(index: int, pk: int) -> None:
        try:
            work = Work.objects.select_related("edition", "unit").get(pk=pk)
            actor = type(organizers[0]).objects.get(pk=organizers[index % 2].pk)
            barrier.wait(timeout=30)
            services.work_recommend(work=work, actor=actor)
            result = "ok"
        except DomainError as exc:
            result = exc.code
        except Exception as exc:  # reported by the assertion below
            result = f"{type(exc).__name__}: {exc}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=recommend, args=(i, w.pk)) for i, w in enumerate(candidates)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert sorted(outcomes) == ["ok"] * 10 + ["quota_full"] * 30
    assert Work.objects.filter(state=WorkState.RECOMMENDED).count() == 30
