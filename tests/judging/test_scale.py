"""A city-sized jury (600 works × 40 experts) solves, pages and ranks in bounded time/queries.

Works are bulk-inserted straight into state ``qualified`` (a test shortcut for speed:
the lifecycle itself is covered in the other tests through ``transition_work``).
"""

import random
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from gongchuang.accounts.models import School, Unit, User
from gongchuang.judging import services
from gongchuang.judging.enums import ReviewStatus
from gongchuang.judging.models import Assignment, Review
from gongchuang.judging.selectors import jury_ranking
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work

from .helpers import expert

TOPICS = [
    "图像生成",
    "音乐创作",
    "视频动画",
    "水墨绘画",
    "交互艺术",
    "海报设计",
    "摄影后期",
    "数字雕塑",
]
N_WORKS, N_EXPERTS, K = 600, 40, 3


@pytest.fixture
def big_jury(edition, units, roles):
    rng = random.Random(7)
    committee = roles["committee"]
    category = edition.categories.get(code="ai_art")
    district_units = list(Unit.objects.filter(kind="district"))
    schools = [
        School.objects.get_or_create(unit=u, name=f"{u.name}规模测试学校{i}")[0]
        for u in district_units
        for i in range(3)
    ]
    author = User.objects.create_user(username="bulk_author", password="x")
    now = timezone.now()
    Work.objects.bulk_create(
        [
            Work(
                edition=edition, category=category, code=f"2026-ART-S-{i:04d}",
                title=f"作品{i}", keywords=" ".join(rng.sample(TOPICS, 2)), abstract="",
                level="junior", unit=(s := rng.choice(schools)).unit, school=s,
                created_by=author, state=WorkState.QUALIFIED, submitted_at=now,
            )
            for i in range(N_WORKS)
        ]
    )  # fmt: skip
    experts = [
        expert(
            committee=committee, expertise=" ".join(rng.sample(TOPICS, 3)), max_load=60,
            unit=rng.choice(district_units) if i % 2 else None,
        )
        for i in range(N_EXPERTS)
    ]  # fmt: skip
    jury = services.jury_create(
        edition=edition, category=category, members=experts, actor=committee, k=K
    )
    return jury, committee


def test_city_sized_jury_solves_and_ranks_quickly(big_jury, client, django_assert_max_num_queries):
    jury, committee = big_jury
    started = time.perf_counter()
    summary = services.jury_solve(jury=jury, actor=committee)
    solve_total = time.perf_counter() - started
    assert summary["optimal"] is True
    assert summary["uncovered"] == 0
    assert Assignment.objects.filter(jury=jury, forbidden=False).count() == N_WORKS * K
    assert solve_total < 10, solve_total

    rng = random.Random(1)
    now = timezone.now()
    Review.objects.bulk_create(
        [
            Review(assignment=a, scores={}, total=rng.uniform(40, 95),
                   status=ReviewStatus.SUBMITTED, submitted_at=now)
            for a in Assignment.objects.filter(jury=jury, forbidden=False)
        ]
    )  # fmt: skip
    started = time.perf_counter()
    ranking = jury_ranking(jury)
    rank_total = time.perf_counter() - started
    assert len(ranking.groups["junior"]) == N_WORKS
    assert rank_total < 15, rank_total

    client.force_login(committee)
    # The first request computes the whole-jury figures and the ranking and caches them
    # (the cache is a table here: its reads and writes are queries too); later requests
    # read them back under a key of the jury's kept counts (3 small reads) and its version.
    with django_assert_max_num_queries(52):
        assert client.get(reverse("judging:jury", args=[jury.pk])).status_code == 200
    # +5 the staff menu, +1 the panel lead's choices; +4 the cache key (kept counts, members,
    # version) and the cached figures; +5 the experts page and the candidates page (counts,
    # rows, members among them).
    with django_assert_max_num_queries(41):
        assert client.get(reverse("judging:jury", args=[jury.pk])).status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get(reverse("judging:ranking", args=[jury.pk])).status_code == 200
    # +5: the staff menu (counts, state, edition); +5 the cache key and the cached ranking;
    # the page's works and experts (2).
    with django_assert_max_num_queries(30):
        assert client.get(reverse("judging:ranking", args=[jury.pk])).status_code == 200
    print(f"\nsolve {solve_total:.2f}s (solver {summary['solve_s']}s), ranking {rank_total:.2f}s")
