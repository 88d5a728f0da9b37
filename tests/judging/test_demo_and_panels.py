"""The judging demo seeder and the dashboard panels."""

import time

from django.urls import reverse

from gongchuang.accounts.models import User
from gongchuang.demo.accounts import DEMO_PASSWORD, seed_people
from gongchuang.demo.context import DemoContext
from gongchuang.demo.judging import seed_judging
from gongchuang.judging import services
from gongchuang.judging.enums import ReviewStatus, SelectionRule
from gongchuang.judging.models import (
    Assignment,
    ConsensusNote,
    DiscussionPost,
    Jury,
    Review,
)
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from tests.factories.works import qualified_work, rubric_values

from .helpers import expert


def test_demo_seeder_gives_the_expert_a_queue_and_is_idempotent(edition, settings):
    demo = DemoContext(edition=edition, now=None)
    seed_people(demo)
    started = time.perf_counter()
    seed_judging(demo)
    elapsed = time.perf_counter() - started
    jury = Jury.objects.get(edition=edition)
    assert jury.published_at is not None
    assert jury.peer_scores_visible is True  # the demo shows the per-jury option
    assert jury.solve_summary["uncovered"] == 0
    assert Work.objects.filter(edition=edition, state=WorkState.QUALIFIED).count() == 12
    assert Assignment.objects.filter(jury=jury, expert=demo.users["expert"]).count() > 0
    assert Review.objects.filter(status=ReviewStatus.SUBMITTED).count() > 10
    assert User.objects.get(username="expert_a").check_password(DEMO_PASSWORD)
    # A short discussion of the most disputed work and the lead's consensus note.
    assert jury.lead.username == "expert_a"
    assert DiscussionPost.objects.filter(jury=jury).count() == 2
    note = ConsensusNote.objects.get(jury=jury)
    assert DiscussionPost.objects.filter(jury=jury, work=note.work).count() == 2
    seed_judging(demo)
    assert Jury.objects.filter(edition=edition).count() == 1
    assert elapsed < 20
    # The practice round: two ai_art samples with reference scores, one expert's scores.
    from gongchuang.demo.judging import seed_practice
    from gongchuang.judging.models import PracticeScore, PracticeWork

    seed_practice(demo)
    seed_practice(demo)
    samples = PracticeWork.objects.filter(edition=edition, category__code="ai_art")
    assert samples.count() == 2 and all(s.reference for s in samples)
    assert (
        PracticeScore.objects.filter(practice_work__in=samples).values("expert").distinct().count()
        == 1
    )


def test_expert_panel_shows_progress_and_pledge_prompt(client, edition, units, roles):
    committee = roles["committee"]
    work = qualified_work(edition, units["cy_school"], committee=committee)
    services.expert_upsert(
        real_name="刘专家", mobile="", email=roles["expert"].email, actor=committee
    )
    jury = services.jury_create(
        edition=edition, category=work.category, members=[roles["expert"]], actor=committee, k=1
    )
    services.jury_solve(jury=jury, actor=committee)
    services.jury_publish(jury=jury, actor=committee)
    client.force_login(roles["expert"])
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "评审前请先接受保密承诺。" in html
    assert "已提交 0 / 应提交 1 份（0%）。" in html
    client.force_login(committee)
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "专家评审进度" in html
    assert "已提交 0 / 应提交 1 份（0%）" in html


def test_result_panel_tells_the_finalist(client, edition, units, roles):
    committee = roles["committee"]
    works = [qualified_work(edition, units["cy_school"], committee=committee) for _ in range(2)]
    e = expert(committee=committee)
    jury = services.jury_create(
        edition=edition, category=works[0].category, members=[e], actor=committee, k=1
    )
    services.jury_solve(jury=jury, actor=committee)
    for a in Assignment.objects.filter(jury=jury).select_related("work__category"):
        value = 9 if a.work_id == works[0].pk else 4
        services.review_save(
            assignment=a, scores=rubric_values(a.work, value), submit=True, actor=e,
            comment_to_authors="色彩运用很好。", comment_to_committee="内部意见",
        )  # fmt: skip
    services.finalists_approve(
        jury=jury, level="junior", rule=SelectionRule.COUNT, value=1, actor=committee
    )
    client.force_login(works[0].authorships.get().user)
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "祝贺！您的作品已入围，受邀参加终评。" in html
    assert "色彩运用很好。" in html
    assert "内部意见" not in html
    assert e.real_name not in html
    client.force_login(works[1].authorships.get().user)
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "未入围终评。感谢您的参与。" in html
