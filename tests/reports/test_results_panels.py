"""Review progress, score distributions, finalists and awards (read from judging/finals)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from gongchuang.submissions.models import Work

from .seed import seed_works, to_final

judging = pytest.importorskip("gongchuang.judging.models")
finals = pytest.importorskip("gongchuang.finals.models")
pytestmark = pytest.mark.django_db


@pytest.fixture
def token_for(roles):
    from gongchuang.reports.services import api_token_create

    return lambda user: api_token_create(user=user, name="测试", actor=roles["committee"])[1]


@pytest.fixture
def judged(edition, roles, units):
    seed_works(edition, roles["committee"], per_unit=3, unit_codes=("HD", "CY"))
    works = list(Work.objects.filter(edition=edition).exclude(state="draft").order_by("pk"))
    art = edition.categories.get(code="ai_art")
    jury = judging.Jury.objects.create(edition=edition, category=art)
    expert = roles["expert"]
    totals = [55.0, 65.0, 75.0, 85.0, 95.0]
    for i, work in enumerate(works):
        assignment = judging.Assignment.objects.create(jury=jury, work=work, expert=expert)
        if i < len(totals):
            judging.Review.objects.create(
                assignment=assignment,
                scores={},
                total=totals[i],
                status="submitted",
                submitted_at=timezone.now(),
            )
    flist = judging.FinalistList.objects.create(
        edition=edition,
        category=art,
        rule="count",
        value=2,
        approved_at=timezone.now(),
        approved_by=roles["committee"],
    )
    # The finalists reach the final (the state finalists_approve sets) and are listed.
    hd_work = to_final(next(w for w in works if w.unit_id == units["hd"].pk), roles["committee"])
    cy_work = to_final(next(w for w in works if w.unit_id == units["cy"].pk), roles["committee"])
    judging.FinalistEntry.objects.create(finalist_list=flist, work=hd_work, rank=1, score=90)
    judging.FinalistEntry.objects.create(finalist_list=flist, work=cy_work, rank=2, score=80)
    event = finals.FinalEvent.objects.create(
        edition=edition,
        name="决赛",
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 7, 2),
        venue="北京",
    )
    finals.FinalResult.objects.create(
        event=event, work=hd_work, group_label="艺术", rank=1, star_level="five"
    )
    finals.SpecialAward.objects.create(
        event=event, name="最佳创意奖", work=cy_work, created_by=roles["committee"]
    )
    # Assignments and reviews written straight to the tables (not through the judging
    # services): their dashboard figures are counted afresh, as after any bulk write.
    from gongchuang.reports.counts import rebuild

    rebuild([edition.pk])
    return works


def test_committee_sees_review_progress_scores_and_awards(client, edition, roles, judged):
    client.force_login(roles["committee"])
    data = client.get(reverse("reports:dashboard")).context["data"]
    n, done = len(judged), min(len(judged), 5)
    assert n == 4
    groups = data.table("review_groups").rows
    assert groups == [["AI 艺术创作", n, n, done, round(100 * done / n)]]
    experts = data.table("review_experts").rows
    assert experts == [["刘专家", n, done, round(100 * done / n)]]
    # One review in each of the lowest `done` buckets (totals 55, 65, 75, 85).
    assert data.table("scores").rows == [["AI 艺术创作", 1, 1, 1, 1, 0]]
    awards = {row[0]: row[1:] for row in data.table("awards_units").rows}
    assert awards == {"海淀区": [1, 1, 0, 0, 0, 1], "朝阳区": [1, 0, 0, 0, 1, 1]}


def test_organizer_sees_own_unit_results_and_no_expert_names(client, edition, roles, judged):
    client.force_login(roles["organizer"])
    data = client.get(reverse("reports:dashboard")).context["data"]
    assert data.table("review_experts") is None
    assert [row[0] for row in data.table("awards_units").rows] == ["海淀区"]
    hd_reviews = sum(1 for w in judged[:5] if w.unit.code == "HD")
    assert sum(data.table("scores").rows[0][1:]) == hd_reviews


def test_api_results_are_scoped(client, edition, roles, judged, token_for):
    raw = token_for(roles["organizer_cy"])
    rows = client.get("/api/v1/results", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    # Results not yet published: a unit sees its finalists but no star levels or awards.
    assert [(r["unit"], r["finalist"], r["special_awards"]) for r in rows] == [("CY", True, [])]
    raw = token_for(roles["committee"])
    rows = client.get("/api/v1/results", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert {(r["unit"], r["star_level"], tuple(r["special_awards"])) for r in rows} == {
        ("HD", "five", ()),
        ("CY", "", ("最佳创意奖",)),
    }


def test_results_export_lists_finalists_and_awards(client, edition, roles, judged):
    import io

    from openpyxl import load_workbook

    from gongchuang.common.models import AuditEvent
    from gongchuang.submissions.enums import AuthorRole
    from gongchuang.submissions.models import Authorship

    hd_work = finals.FinalResult.objects.get().work
    for user, role in (
        (roles["student"], AuthorRole.AUTHOR),
        (roles["teacher"], AuthorRole.ADVISOR),
    ):
        Authorship.objects.create(work=hd_work, edition=edition, user=user, role=role)
    finals.FinalResult.objects.update(combined="91.25")
    client.force_login(roles["committee"])
    response = client.get(reverse("reports:export_results"))
    assert response["Content-Disposition"].startswith(
        "attachment; filename*=utf-8''%E8%8E%B7%E5%A5%96%E5%90%8D%E5%8D%95-"  # 获奖名单-
    )
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert rows[0] == (
        "作品编号", "作品名称", "类别", "学段", "作者", "指导教师", "学校", "区/高校", "得分",
        "星级", "专项奖",
    )  # fmt: skip
    assert rows[1:] == [
        ("2026-ART-CY-0001", "统计作品3", "AI 艺术创作", "小学", None, None,
         "朝阳区统计测试学校", "朝阳区", None, None, "最佳创意奖"),
        ("2026-AGT-HD-0001", "统计作品1", "AI 智能体应用", "初中", "李明", "陈老师",
         "海淀区统计测试学校", "海淀区", 91.25, "五星作品", None),
    ]  # fmt: skip
    assert AuditEvent.objects.filter(action="export.results").count() == 1


def test_unpublished_star_levels_are_hidden_from_units(client, edition, roles, judged):
    client.force_login(roles["organizer"])
    awards = client.get(reverse("reports:dashboard")).context["data"].table("awards_units")
    assert awards.rows == [["海淀区", 1, 0, 0, 0, 0, 0]]
    finals.FinalEvent.objects.update(results_published_at=timezone.now())
    awards = client.get(reverse("reports:dashboard")).context["data"].table("awards_units")
    assert awards.rows == [["海淀区", 1, 1, 0, 0, 0, 1]]


def test_a_work_with_a_star_and_a_special_award_is_one_awarded_work(client, edition, roles, judged):
    from gongchuang.submissions.services import transition_work

    hd_work = finals.FinalResult.objects.get().work
    finals.SpecialAward.objects.create(
        event=finals.FinalEvent.objects.get(),
        name="最佳表达奖",
        work=hd_work,
        created_by=roles["committee"],
    )
    client.force_login(roles["committee"])

    def awards():
        data = client.get(reverse("reports:dashboard")).context["data"]
        return {row[0]: row[1:] for row in data.table("awards_units").rows}

    # Finalists, five, four, three stars, special awards, awarded works.
    assert awards()["海淀区"] == [1, 1, 0, 0, 1, 1]
    # A disqualified work keeps its rows in the final's tables, but no longer counts.
    transition_work(hd_work, "disqualified", actor=roles["committee"], reason="查实抄袭")
    assert awards().get("海淀区", [0] * 6) == [0, 0, 0, 0, 0, 0]
    assert awards()["朝阳区"] == [1, 0, 0, 0, 1, 1]
