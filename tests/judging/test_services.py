"""Juries, assignment from the database, reviews and finalist selection (services)."""

import datetime

import pytest
from django.utils import timezone

from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.editions.enums import Step
from gongchuang.judging import services
from gongchuang.judging.affinity import affinity_matrix, char_ngrams
from gongchuang.judging.enums import AssignmentSource, ReviewStatus, SelectionRule
from gongchuang.judging.models import Assignment, ConflictDeclaration, FinalistList, Review
from gongchuang.judging.selectors import (
    finalist_preview,
    finalists_for_edition,
    jury_overview,
    jury_ranking,
)
from gongchuang.notifications.models import Notification
from gongchuang.submissions.enums import WorkState
from tests.factories.works import qualified_work, rubric_values

from .helpers import expert


@pytest.fixture
def setup(edition, units, roles):
    committee = roles["committee"]
    hd_works = [
        qualified_work(edition, units["hd_school"], committee=committee, title=f"海淀作品{i}",
                       keywords="图像生成 绘画") for i in range(3)
    ]  # fmt: skip
    cy_works = [
        qualified_work(edition, units["cy_school"], committee=committee, title=f"朝阳作品{i}",
                       keywords="音乐 生成") for i in range(3)
    ]  # fmt: skip
    experts = {
        "hd": expert(committee=committee, unit=units["hd"], expertise="图像生成"),
        "cy_school": expert(committee=committee, school=units["cy_school"], expertise="音乐"),
        "free1": expert(committee=committee, expertise="绘画 图像"),
        "free2": expert(committee=committee, expertise="音乐 作曲"),
        "free3": expert(committee=committee, expertise="视频"),
    }
    jury = services.jury_create(
        edition=edition,
        category=edition.categories.get(code="ai_art"),
        members=experts.values(),
        actor=committee,
        k=2,
    )
    return {
        "committee": committee,
        "hd": hd_works,
        "cy": cy_works,
        "experts": experts,
        "jury": jury,
    }


def active_pairs(jury):
    return set(
        Assignment.objects.filter(jury=jury, forbidden=False).values_list("work_id", "expert_id")
    )


def test_char_ngrams_split_phrases_and_affinity_prefers_shared_words():
    assert char_ngrams("图像生成，AI") == ["图像", "像生", "生成", "图像生", "像生成", "ai"]
    aff = affinity_matrix(["图像生成 绘画", "音乐创作"], ["图像生成", "音乐"])
    assert aff[0, 0] > aff[0, 1]
    assert aff[1, 1] > aff[1, 0]
    assert aff.min() >= 0 and aff.max() <= 1


def test_jury_k_defaults_to_edition_setting(edition, roles):
    edition.settings["reviews_per_work"] = 4
    edition.save()
    jury = services.jury_create(
        edition=edition,
        category=edition.categories.get(code="ai_agent"),
        actor=roles["committee"],
    )
    assert jury.k == 4


def test_jury_duplicate_group_is_refused_in_chinese(setup, edition):
    with pytest.raises(DomainError) as err:
        services.jury_create(
            edition=edition, category=setup["jury"].category, actor=setup["committee"]
        )
    assert str(err.value) == "该类别和学段的评审组已存在。"


def test_solve_gives_every_work_k_experts_and_never_a_conflicted_pair(setup):
    jury, experts = setup["jury"], setup["experts"]
    summary = services.jury_solve(jury=jury, actor=setup["committee"])
    pairs = active_pairs(jury)
    assert summary["optimal"] is True
    assert summary["uncovered"] == 0
    per_work = {}
    for w, _e in pairs:
        per_work[w] = per_work.get(w, 0) + 1
    assert sorted(per_work.values()) == [2] * 6
    # Unit-level conflict (HD expert vs HD works) and school-level (CY school expert vs CY works).
    assert not {(w.pk, experts["hd"].pk) for w in setup["hd"]} & pairs
    assert not {(w.pk, experts["cy_school"].pk) for w in setup["cy"]} & pairs
    assert AuditEvent.objects.filter(action="jury.solve").count() == 1


def test_solve_excludes_advisor_school_declared_conflicts_and_own_advised_work(
    setup, edition, units, roles
):
    committee = setup["committee"]
    free1, free2 = setup["experts"]["free1"], setup["experts"]["free2"]
    # free2 advises a CY work (their own advised work); free1 declares a conflict with one HD work.
    advised = qualified_work(
        edition, units["cy_school"], committee=committee, advisor=free2, title="指导作品"
    )
    services.conflict_declare(expert=free1, work=setup["hd"][0], actor=free1)
    # An advisor from museum (HD): a work of a CY student advised by a HD teacher conflicts with
    # the HD expert through the advisor's school/unit.
    hd_teacher = roles["teacher"]
    cy_with_hd_advisor = qualified_work(
        edition, units["cy_school"], committee=committee, advisor=hd_teacher, title="跨区指导"
    )
    services.jury_solve(jury=setup["jury"], actor=committee)
    pairs = active_pairs(setup["jury"])
    assert (advised.pk, free2.pk) not in pairs
    assert (setup["hd"][0].pk, free1.pk) not in pairs
    assert (cy_with_hd_advisor.pk, setup["experts"]["hd"].pk) not in pairs


def test_resolve_keeps_reviewed_and_pinned_pairs(setup):
    jury, committee = setup["jury"], setup["committee"]
    services.jury_solve(jury=jury, actor=committee)
    reviewed = Assignment.objects.filter(jury=jury).order_by("pk").first()
    pinned = Assignment.objects.filter(jury=jury).exclude(pk=reviewed.pk).order_by("pk").first()
    services.review_save(
        assignment=reviewed, scores={}, submit=False, actor=reviewed.expert
    )  # a draft already counts
    services.assignment_pin(assignment=pinned, pinned=True, actor=committee)
    # Make the solver want something else: forbid every other current pair.
    for a in Assignment.objects.filter(jury=jury).exclude(pk__in=[reviewed.pk, pinned.pk])[:3]:
        services.assignment_forbid(jury=jury, work=a.work, expert=a.expert, actor=committee)
    services.jury_solve(jury=jury, actor=committee)
    assert Assignment.objects.filter(pk=reviewed.pk, forbidden=False).exists()
    assert Assignment.objects.filter(pk=pinned.pk, pinned=True).exists()
    assert Review.objects.filter(assignment_id=reviewed.pk).exists()
    forbidden = set(
        Assignment.objects.filter(jury=jury, forbidden=True).values_list("work_id", "expert_id")
    )
    assert len(forbidden) == 3
    assert not forbidden & active_pairs(jury)


def test_forbid_refused_once_reviewed(setup):
    jury, committee = setup["jury"], setup["committee"]
    services.jury_solve(jury=jury, actor=committee)
    a = Assignment.objects.filter(jury=jury).first()
    services.review_save(assignment=a, scores={}, submit=False, actor=a.expert)
    with pytest.raises(DomainError) as err:
        services.assignment_forbid(jury=jury, work=a.work, expert=a.expert, actor=committee)
    assert err.value.code == "has_review"


def test_add_by_hand_refuses_conflict_and_pins_the_pair(setup):
    jury, committee, experts = setup["jury"], setup["committee"], setup["experts"]
    with pytest.raises(DomainError) as err:
        services.assignment_add(
            jury=jury, work=setup["hd"][0], expert=experts["hd"], actor=committee
        )
    assert str(err.value) == "该专家与此作品存在利益冲突。"
    added = services.assignment_add(
        jury=jury, work=setup["hd"][0], expert=experts["free3"], actor=committee
    )
    assert (added.pinned, added.source) == (True, AssignmentSource.MANUAL)


def test_request_extra_adds_one_non_conflicted_expert(setup):
    jury, committee = setup["jury"], setup["committee"]
    services.jury_solve(jury=jury, actor=committee)
    work = setup["cy"][0]
    before = set(
        Assignment.objects.filter(jury=jury, work=work, forbidden=False).values_list(
            "expert_id", flat=True
        )
    )
    added = services.assignment_request_extra(jury=jury, work=work, actor=committee)
    assert added.expert_id not in before
    assert added.expert_id != setup["experts"]["cy_school"].pk
    assert added.source == AssignmentSource.EXTRA
    assert Assignment.objects.filter(jury=jury, work=work, forbidden=False).count() == 3


def test_overview_reports_coverage_loads_and_few_works_warning(setup):
    services.jury_solve(jury=setup["jury"], actor=setup["committee"])
    overview = jury_overview(setup["jury"])
    assert overview.covered == 6
    assert overview.coverage == 1.0
    assert sum(e.load for e in overview.experts) == 12
    # 6 works × 2 reviews cannot give 5 experts 10 works each: no "fewer than 10" warning.
    assert all("10" not in w for w in overview.warnings)


def _solve_and_review(setup, totals):
    """Solve, publish and submit every review with score ``totals[work_index]`` for all dims."""
    jury = setup["jury"]
    services.jury_solve(jury=jury, actor=setup["committee"])
    services.jury_publish(jury=jury, actor=setup["committee"])
    works = setup["hd"] + setup["cy"]
    for a in Assignment.objects.filter(jury=jury, forbidden=False).select_related("work__category"):
        value = totals[[w.pk for w in works].index(a.work_id)]
        services.review_save(
            assignment=a, scores=rubric_values(a.work, value), submit=True, actor=a.expert
        )
    return works


def test_review_submit_computes_weighted_total_and_audits(setup):
    services.jury_solve(jury=setup["jury"], actor=setup["committee"])
    a = Assignment.objects.filter(jury=setup["jury"]).select_related("work__category").first()
    dims = list(a.work.category.rubric.all())
    scores = {str(d.pk): 10 for d in dims}
    scores[str(dims[0].pk)] = 5  # 创新性, weight 30
    review = services.review_save(
        assignment=a, scores=scores, comment_to_committee="好", submit=True, actor=a.expert
    )
    assert review.status == ReviewStatus.SUBMITTED
    assert review.total == 85.0
    scores[str(dims[0].pk)] = 7
    services.review_save(assignment=a, scores=scores, submit=False, actor=a.expert)
    review.refresh_from_db()
    assert (review.status, review.total) == (ReviewStatus.SUBMITTED, 91.0)
    actions = list(
        AuditEvent.objects.for_object(review).order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["review.submit", "review.edit"]


@pytest.mark.parametrize(
    ("score_min", "bad"), [(0, -1), (0, 11), (0, "7.5"), (0, "x"), (1, 0), (1, 11)]
)
def test_review_rejects_scores_off_the_editions_scale(setup, score_min, bad):
    """The scale is the edition's setting (``editions.scale``), 0–10 unless set to 1–10."""
    edition = setup["jury"].edition
    edition.settings = {**edition.settings, "score_min": score_min}
    edition.save(update_fields=["settings"])
    services.jury_solve(jury=setup["jury"], actor=setup["committee"])
    a = Assignment.objects.filter(jury=setup["jury"]).select_related("work__category").first()
    scores = rubric_values(a.work, 5)
    scores[next(iter(scores))] = bad
    with pytest.raises(DomainError) as err:
        services.review_save(assignment=a, scores=scores, submit=True, actor=a.expert)
    assert str(err.value) == f"评分须为 {score_min} 到 10 的整数。"


def test_review_submit_needs_every_dimension(setup):
    services.jury_solve(jury=setup["jury"], actor=setup["committee"])
    a = Assignment.objects.filter(jury=setup["jury"]).select_related("work__category").first()
    scores = rubric_values(a.work, 5)
    scores.pop(next(iter(scores)))
    services.review_save(assignment=a, scores=scores, submit=False, actor=a.expert)  # draft is ok
    with pytest.raises(DomainError) as err:
        services.review_save(assignment=a, scores=scores, submit=True, actor=a.expert)
    assert err.value.code == "incomplete"


def test_review_refused_after_window_closes_and_for_another_expert(setup, edition):
    services.jury_solve(jury=setup["jury"], actor=setup["committee"])
    a = Assignment.objects.filter(jury=setup["jury"]).select_related("work__category").first()
    other = (
        setup["experts"]["free3"]
        if a.expert_id != setup["experts"]["free3"].pk
        else setup["experts"]["free2"]
    )
    with pytest.raises(DomainError) as err:
        services.review_save(assignment=a, scores={}, submit=False, actor=other)
    assert err.value.code == "not_assigned"
    window = edition.window(Step.EXPERT_REVIEW)
    window.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    window.save()
    with pytest.raises(DomainError) as err:
        services.review_save(
            assignment=a, scores=rubric_values(a.work, 5), submit=True, actor=a.expert
        )
    assert str(err.value) == "专家评审时间已结束。"


def test_ranking_orders_by_calibrated_score_per_level(setup):
    works = _solve_and_review(setup, [9, 8, 7, 6, 5, 4])
    ranking = jury_ranking(setup["jury"])
    rows = ranking.groups["junior"]
    assert [r.work_id for r in rows] == [w.pk for w in works]
    assert [r.rank for r in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[0].raw_mean == 90.0
    assert all(r.band_low <= r.calibrated <= r.band_high for r in rows)
    assert ranking.method == "ridge"


def test_disagreement_flag_when_spread_exceeds_threshold(setup):
    jury = setup["jury"]
    services.jury_solve(jury=jury, actor=setup["committee"])
    target = setup["hd"][0]
    seen_target = 0
    for a in Assignment.objects.filter(jury=jury, forbidden=False).select_related("work__category"):
        value = 5
        if a.work_id == target.pk:
            value = 9 if seen_target == 0 else 2
            seen_target += 1
        services.review_save(
            assignment=a, scores=rubric_values(a.work, value), submit=True, actor=a.expert
        )
    totals = sorted(Review.objects.filter(assignment__work=target).values_list("total", flat=True))
    rows = {r.work_id: r for r in jury_ranking(jury).groups["junior"]}
    assert rows[target.pk].spread == totals[-1] - totals[0]
    assert rows[target.pk].disagreement is (totals[-1] - totals[0] > 20)
    assert rows[setup["cy"][0].pk].disagreement is False


def test_finalist_preview_shows_cut_line_and_ties(setup):
    _solve_and_review(setup, [9, 8, 8, 6, 5, 4])
    preview = finalist_preview(
        jury=setup["jury"], level="junior", rule=SelectionRule.COUNT, value=2
    )
    assert preview.count == 2
    assert preview.selected == 3  # the two works tied at the cut line both go through
    assert len(preview.ties) == 2
    share = finalist_preview(jury=setup["jury"], level="junior", rule=SelectionRule.SHARE, value=50)
    assert share.count == 3


def test_finalists_approve_moves_works_and_notifies(setup, edition):
    works = _solve_and_review(setup, [9, 8, 7, 6, 5, 4])
    Notification.objects.all().delete()
    services.finalists_approve(
        jury=setup["jury"], level="junior", rule=SelectionRule.COUNT, value=2,
        actor=setup["committee"],
    )  # fmt: skip
    states = [type(w).objects.get(pk=w.pk).state for w in works]
    assert states == [WorkState.FINALIST] * 2 + [WorkState.NOT_SELECTED] * 4
    lists = list(finalists_for_edition(edition))
    assert len(lists) == 1
    assert [e.work_id for e in lists[0].entries.all()] == [works[0].pk, works[1].pk]
    with pytest.raises(DomainError) as err:
        services.finalists_approve(
            jury=setup["jury"], level="junior", rule=SelectionRule.COUNT, value=2,
            actor=setup["committee"],
        )  # fmt: skip
    assert err.value.code == "already"


def test_finalists_refused_while_reviews_missing(setup):
    services.jury_solve(jury=setup["jury"], actor=setup["committee"])
    a = Assignment.objects.filter(jury=setup["jury"]).select_related("work__category").first()
    services.review_save(assignment=a, scores=rubric_values(a.work, 5), submit=True, actor=a.expert)
    with pytest.raises(DomainError) as err:
        services.finalists_approve(
            jury=setup["jury"], level="junior", rule=SelectionRule.COUNT, value=1,
            actor=setup["committee"],
        )  # fmt: skip
    assert err.value.code == "incomplete"
    assert not FinalistList.objects.exists()


def test_conflict_declaration_needs_exactly_one_target(setup, units):
    e = setup["experts"]["free1"]
    with pytest.raises(DomainError):
        services.conflict_declare(expert=e, school=units["hd_school"], unit=units["hd"], actor=e)
    services.conflict_declare(expert=e, unit=units["cy"], reason="曾任职", actor=e)
    assert ConflictDeclaration.objects.filter(expert=e).count() == 1


def test_declared_unit_conflict_removes_unreviewed_assignments(setup, units):
    jury = setup["jury"]
    services.jury_solve(jury=jury, actor=setup["committee"])
    e = setup["experts"]["free2"]
    services.conflict_declare(expert=e, unit=units["cy"], actor=e)
    cy_ids = [w.pk for w in setup["cy"]]
    assert not Assignment.objects.filter(expert=e, work_id__in=cy_ids, forbidden=False).exists()
    services.jury_solve(jury=jury, actor=setup["committee"])
    assert not {(w, e.pk) for w in cy_ids} & active_pairs(jury)


def test_solver_result_is_deterministic(setup):
    services.jury_solve(jury=setup["jury"], actor=setup["committee"])
    first = active_pairs(setup["jury"])
    services.jury_solve(jury=setup["jury"], actor=setup["committee"])
    assert active_pairs(setup["jury"]) == first


def test_overview_warns_about_few_works_and_disconnected_graph(edition, units, roles):
    committee = roles["committee"]
    works = [qualified_work(edition, units["cy_school"], committee=committee) for _ in range(4)]
    experts = [expert(committee=committee) for _ in range(2)]
    jury = services.jury_create(
        edition=edition, category=works[0].category, members=experts, actor=committee, k=1
    )
    # Two islands: expert 0 has works 0-1, expert 1 has works 2-3 (pinned by hand).
    for i, w in enumerate(works):
        services.assignment_add(jury=jury, work=w, expert=experts[i // 2], actor=committee)
    overview = jury_overview(jury)
    assert overview.connected is False
    assert any("不连通" in w for w in overview.warnings)
    jury.k = 5
    jury.save()
    assert any("少于 10 件" in w for w in jury_overview(jury).warnings)


def test_remind_notifies_only_experts_with_pending_reviews(setup):
    jury = setup["jury"]
    services.jury_solve(jury=jury, actor=setup["committee"])
    services.jury_publish(jury=jury, actor=setup["committee"])
    done = setup["experts"]["free3"]
    for a in Assignment.objects.filter(jury=jury, expert=done).select_related("work__category"):
        services.review_save(assignment=a, scores=rubric_values(a.work, 6), submit=True, actor=done)
    Notification.objects.all().delete()
    n = services.experts_remind(jury=jury, actor=setup["committee"])
    pending = {a.expert_id for a in Assignment.objects.filter(jury=jury, forbidden=False)} - {
        done.pk
    }
    assert n == len(pending)
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == pending
    assert Notification.objects.first().title == "提醒：请按时完成评审"


def test_publish_notifies_assigned_experts(setup):
    services.jury_solve(jury=setup["jury"], actor=setup["committee"])
    Notification.objects.all().delete()
    services.jury_publish(jury=setup["jury"], actor=setup["committee"])
    assigned = set(
        Assignment.objects.filter(jury=setup["jury"]).values_list("expert_id", flat=True)
    )
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == assigned


def test_final_online_scores_feed_the_final(setup):
    from gongchuang.finals.services import online_scores

    works = _solve_and_review(setup, [9, 8, 7, 6, 5, 4])
    services.finalists_approve(
        jury=setup["jury"], level="junior", rule=SelectionRule.COUNT, value=3,
        actor=setup["committee"],
    )  # fmt: skip
    works = [type(w).objects.select_related("category").get(pk=w.pk) for w in works]
    assert works[0].state == WorkState.FINALIST
    # After selection the decided works still rank (the final uses their online scores).
    assert len(jury_ranking(setup["jury"]).groups["junior"]) == 6
    scores = online_scores(works)
    assert set(scores) == {w.pk for w in works}
    values = [float(scores[w.pk]) for w in works]
    assert values == sorted(values, reverse=True)
    assert values[0] == pytest.approx(90.0, abs=0.5)


def test_expert_judging_only_some_levels_never_gets_other_levels(edition, units, roles):
    committee = roles["committee"]
    junior = qualified_work(edition, units["cy_school"], committee=committee)
    senior = qualified_work(edition, units["cy_school"], committee=committee, level="senior")
    only_senior = expert(committee=committee)
    only_senior.expert_profile.levels = ["senior"]
    only_senior.expert_profile.save()
    anyone = expert(committee=committee)
    jury = services.jury_create(
        edition=edition, category=junior.category, members=[only_senior, anyone],
        actor=committee, k=2,
    )  # fmt: skip
    summary = services.jury_solve(jury=jury, actor=committee)
    pairs = active_pairs(jury)
    assert (junior.pk, only_senior.pk) not in pairs
    assert (senior.pk, only_senior.pk) in pairs
    assert summary["uncovered"] == 1  # the junior work lacks its second expert


def test_solver_gives_every_expert_ten_works_when_the_jury_allows(edition, units, roles):
    committee = roles["committee"]
    works = [
        qualified_work(edition, units["cy_school"], committee=committee, keywords="图像生成")
        for _ in range(30)
    ]
    # One expert matches every work; the others match none, so affinity alone would
    # pile the works on the first one.
    experts = [expert(committee=committee, expertise="图像生成", max_load=30)]
    experts += [expert(committee=committee, expertise="化学实验", max_load=30) for _ in range(8)]
    jury = services.jury_create(
        edition=edition, category=works[0].category, members=experts, actor=committee, k=3
    )
    summary = services.jury_solve(jury=jury, actor=committee)
    loads = [Assignment.objects.filter(jury=jury, expert=e).count() for e in experts]
    assert summary["min_load_met"] is True
    assert min(loads) >= 10
    assert sum(loads) == 90


def test_finalist_preview_marks_the_grey_zone(setup):
    _solve_and_review(setup, [9, 8, 7, 6, 5, 4])
    preview = finalist_preview(
        jury=setup["jury"], level="junior", rule=SelectionRule.COUNT, value=3
    )
    for row in preview.rows:
        crosses = row.band_low <= preview.cut_score <= row.band_high
        assert row.grey is (crosses and round(row.calibrated, 6) != preview.cut_score)
