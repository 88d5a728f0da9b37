"""Demo finals: this edition's final is open (scoring now), last year's is finished.

The current demo edition's final has its programme, confirmed finalists, a released task
and two judges on the presentation panel: ``expert_f`` has scored every sheet, ``expert``
none yet (the live board shows their missing sheets), the second finalist is presenting
(the projector link is printed by seed_demo), two finalists have checked in, and no result
is computed — a newcomer scores on a phone, computes the star
levels, locks, puts the award list under publicity (公示; the demo edition's window is 0
working days), confirms it final, publishes and prints certificates. The finalist list's
publicity is over and confirmed (the final may start). Last year's demo edition
(``demo-past``) holds a finished final: scored, computed, locked, its award list confirmed
final, published, with certificates. Both seeders are idempotent.
"""

import datetime
import uuid

from django.urls import reverse
from django.utils import timezone

from gongchuang.accounts import services as account_services
from gongchuang.accounts.enums import DocumentType, Level
from gongchuang.accounts.models import School, User
from gongchuang.common.audit import audit_record
from gongchuang.demo.accounts import demo_national_id
from gongchuang.demo.judging import AUTHOR_COMMENTS
from gongchuang.finals import services
from gongchuang.finals.enums import ScoreKind, SessionKind
from gongchuang.finals.models import Certificate, FinalEvent, OnsiteTask
from gongchuang.judging import counts as judging_counts
from gongchuang.judging.enums import ReviewStatus
from gongchuang.judging.models import Assignment, Jury, Review
from gongchuang.judging.scoring import weighted_total
from gongchuang.judging.selectors import rubric_of
from gongchuang.publicity.enums import ListKind
from gongchuang.publicity.services import publicity_confirm_final, publicity_publish
from gongchuang.submissions.enums import AuthorRole, WorkState
from gongchuang.submissions.models import Authorship, Work
from gongchuang.submissions.services import transition_work

DEMO_PASSWORD = "Gongchuang2026"  # noqa: S105 - the documented demo password
FINALISTS = [
    ("final1", "周子涵", "北京市海淀区示范中学", "未来城市的四季"),
    ("final2", "吴思远", "北京市朝阳区示范中学", "AI 笔下的胡同记忆"),
    ("final3", "郑可欣", "北京市门头沟区示范中学", "永定河的守护者"),
    ("final4", "孙浩然", "北京市朝阳区示范中学", "机器人眼中的长城"),
    ("final5", "冯雨桐", "北京市门头沟区示范中学", "星空下的京西古道"),
]
# Last year's finalists (AI 智能体应用): background authors, not demo logins.
PAST_FINALISTS = [
    ("past_final1", "韩思齐", "北京市海淀区示范中学", "胡同导游智能体"),
    ("past_final2", "唐雨萱", "北京市朝阳区示范中学", "校园图书推荐智能体"),
    ("past_final3", "许博远", "北京市门头沟区示范中学", "山区天气播报智能体"),
    ("past_final4", "曹一诺", "北京市朝阳区示范中学", "垃圾分类问答智能体"),
    ("past_final5", "邓子墨", "北京市门头沟区示范中学", "古道讲解智能体"),
]
PATH = [
    WorkState.SUBMITTED,
    WorkState.RECOMMENDED,
    WorkState.QUALIFIED,
    WorkState.REVIEWED,
    WorkState.FINALIST,
]
# (presentation, task) value per rubric dimension (0–10), per finalist in order.
DEMO_SCORES = [(9, 9), (8, 7), (7, 8), (6, 6), (5, 6)]
SECOND_JUDGE = "expert_f"  # an online-review expert of the demo (judging seeder)


def demo_finalist(edition, row, committee, *, category_code, password):
    """A demo student's work moved to finalist through the normal transitions (idempotent)."""
    username, real_name, school_name, title = row
    school = School.objects.get(name=school_name)
    user = User.objects.filter(username=username).first() or account_services.student_register(
        username=username,
        password=password,
        real_name=real_name,
        email=f"{username}@demo.gongchuang.local",
        level=Level.JUNIOR,
        school=school,
        grade="初三",
        birth_date=datetime.date(2011, 6, 1),
        document_type=DocumentType.RESIDENT_ID,
        document_number=demo_national_id(username, datetime.date(2011, 6, 1)),
    )
    work = Work.objects.filter(edition=edition, created_by=user).first()
    if work is not None:
        return work
    work = Work.objects.create(
        edition=edition,
        category=edition.categories.get(code=category_code),
        title=title,
        abstract="以 AI 工具创作的系列作品。",
        level=Level.JUNIOR,
        unit=school.unit,
        school=school,
        created_by=user,
        originality_pledge=True,
        ai_tool_list=["wenxin", "tongyi"],
        ai_generated="画面初稿由 AI 生成。",
        ai_contribution="构思、筛选与修改由作者完成。",
    )
    Authorship.objects.create(
        work=work,
        edition=edition,
        user=user,
        role=AuthorRole.AUTHOR,
        identity_key=user.student_profile.identity_key,
        person_key=user.student_profile.person_key,
        accepted_at=timezone.now(),
    )
    for state in PATH:
        work = transition_work(work, state, actor=committee, reason="演示数据")
    return work


def _finalists(demo, edition, rows, *, category_code, password):
    committee = demo.users["committee"]
    works = [
        demo_finalist(edition, row, committee, category_code=category_code, password=password)
        for row in rows
    ]
    Authorship.objects.get_or_create(
        work=works[0],
        user=demo.users["teacher"],
        defaults={
            "edition": edition,
            "role": AuthorRole.ADVISOR,
            "order": 1,
            "accepted_at": timezone.now(),
        },
    )
    return works


def _confirmed_list(edition, committee, *, kind, title, published_at, works=None):
    """A list published at ``published_at`` and confirmed final when its window ended."""
    publicity = publicity_publish(
        edition=edition, kind=kind, title=title, actor=committee, works=works, now=published_at
    )
    return publicity_confirm_final(publicity=publicity, actor=committee, now=publicity.ends_at)


def _event(edition, committee, *, day):
    """The edition's final: two days at the 北京科学中心 from ``day``."""
    return services.event_create(
        edition=edition,
        name=f"{edition.name} 终评展示活动",
        starts_on=day,
        ends_on=day + datetime.timedelta(days=1),
        venue="北京科学中心",
        address="北京市西城区北辰路9号院",
        actor=committee,
    )


def _judges(demo) -> list:
    second = User.objects.filter(username=SECOND_JUDGE).first()
    return [demo.users["expert"], *([second] if second is not None else [])]


def _panel(event, works, judges, *, category, start, committee):
    """The presentation panel (it scores presentation and task) with its finalists."""
    talk = services.session_create(
        event=event,
        kind=SessionKind.PRESENTATION,
        title=f"{category.name} · 初中组 展示答辩",
        category=category,
        level=Level.JUNIOR,
        room="A101",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        actor=committee,
    )
    for work in works:
        services.session_add_participant(session=talk, work=work, actor=committee)
        author = work.authorships.get(role=AuthorRole.AUTHOR).user
        services.attendance_answer(event=event, work=work, user=author, attend=True)
    for judge in judges:
        services.session_add_judge(session=talk, judge=judge, actor=committee)
    return talk


def score_sheets(judge, session, work, *, presentation: float, task: float, key: str) -> None:
    """Save ``judge``'s two sheets of ``work``: every dimension of a sheet gets one value.

    ``key`` makes the sheets' client ids (a replay with the same key changes nothing).
    Used by the demo, the benchmarks and the tests that need a scored final.
    """
    dims = work.category.rubric.order_by("order", "pk")
    for kind, value in ((ScoreKind.PRESENTATION, presentation), (ScoreKind.TASK, task)):
        services.score_save(
            judge=judge,
            session=session,
            work=work,
            kind=kind,
            values={str(d.pk): value for d in dims},
            client_uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"{key}/{judge.pk}/{work.pk}/{kind}"),
            client_rev=1,
        )


def _score(judge, session, works, scores) -> None:
    """``judge``'s complete sheets: every dimension of a sheet gets the same value."""
    for work, (presentation, task) in zip(works, scores, strict=False):
        score_sheets(
            judge, session, work, presentation=presentation, task=task, key="gongchuang-demo-final"
        )


def _rest_of_programme(event, works, *, category, start, committee) -> None:
    """The on-site task challenge (its task released now) and three unscored sessions."""
    hour = datetime.timedelta(hours=1)
    task_session = services.session_create(
        event=event,
        kind=SessionKind.TASK_CHALLENGE,
        title=f"{category.name} · 初中组 现场任务挑战",
        category=category,
        level=Level.JUNIOR,
        room="B201",
        starts_at=start + 3 * hour,
        ends_at=start + 5 * hour,
        actor=committee,
    )
    for kind, title, room, offset in [
        (SessionKind.TEACHING_EXCHANGE, "教师 AI 创新教学案例交流", "报告厅", 24),
        (SessionKind.EXPERT_GUIDANCE, "专家面对面指导", "C301", 26),
        (SessionKind.PUBLIC_DISPLAY, "优秀作品公众展示", "一层展厅", 28),
    ]:
        services.session_create(
            event=event,
            kind=kind,
            title=title,
            room=room,
            starts_at=start + offset * hour,
            ends_at=start + (offset + 2) * hour,
            actor=committee,
        )
    for work in works:
        services.session_add_participant(session=task_session, work=work, actor=committee)
    task = OnsiteTask.objects.create(
        session=task_session,
        title="用 AI 为北京中轴线设计一张宣传海报",
        statement="在 60 分钟内，使用任意 AI 工具完成一张海报，并提交作品与创作说明。",
        time_limit_minutes=60,
    )
    services.task_release(task=task, actor=committee)


def seed_final(demo) -> None:
    """The current edition's final, open: scheduled now, one judge still to score."""
    edition, committee = demo.edition, demo.users["committee"]
    if FinalEvent.objects.filter(edition=edition).exists():
        return
    works = _finalists(demo, edition, FINALISTS, category_code="ai_art", password=DEMO_PASSWORD)
    # The finalist list's publicity ended weeks ago without objections: the final may start.
    _confirmed_list(
        edition,
        committee,
        kind=ListKind.FINALIST,
        title=f"{edition.name}决赛入围名单公示",
        published_at=demo.now - datetime.timedelta(days=30),
        works=works,
    )
    # An edition setting, not a shortcut: the demo's award list is under publicity for 0
    # working days, so a visitor can confirm it at once (objections are still checked).
    edition.settings = {**(edition.settings or {}), "award_publicity_working_days": 0}
    edition.save(update_fields=["settings"])
    event = _event(edition, committee, day=timezone.localdate(demo.now))
    start = demo.now.replace(minute=0, second=0, microsecond=0) - datetime.timedelta(hours=1)
    art = edition.categories.get(code="ai_art")
    judges = _judges(demo)
    talk = _panel(event, works, judges, category=art, start=start, committee=committee)
    _rest_of_programme(event, works, category=art, start=start, committee=committee)
    # The second judge has scored on their tablet; ``expert`` (the README's judge) has not.
    for judge in judges[1:]:
        _score(judge, talk, works, DEMO_SCORES)
    services.special_award_create(
        event=event, name="最佳创意奖", work=works[1], actor=committee, citation="由合作单位设立"
    )
    _final_day(demo, event, talk, works, committee)
    demo.extra["final_event"] = event


def _final_day(demo, event, talk, works, committee) -> None:
    """The final day under way: the second finalist is presenting, the first two have
    checked in at the desk, and the projector link exists (seed_demo prints it)."""
    services.session_advance(session=talk, actor=committee)
    services.session_advance(session=talk, actor=committee)
    for work in works[:2]:
        code = work.final_attendances.get(event=event).checkin_code
        services.checkin_by_code(event=event, code=code, actor=committee)
    event = services.screen_token_regenerate(event=event, actor=committee)
    demo.extra["screen_path"] = reverse("finals:screen_index", args=[event.screen_token])


def seed_past_final(demo) -> None:
    """Last year's final, finished: scored by both judges, results published, certificates."""
    edition, committee = demo.past_edition(), demo.users["committee"]
    if FinalEvent.objects.filter(edition=edition).exists():
        return
    works = _finalists(demo, edition, PAST_FINALISTS, category_code="ai_agent", password=None)
    day = timezone.localdate(edition.window("final").opens_at) + datetime.timedelta(days=11)
    start = datetime.datetime.combine(day, datetime.time(9), tzinfo=timezone.get_current_timezone())
    _confirmed_list(
        edition,
        committee,
        kind=ListKind.FINALIST,
        title=f"{edition.name}决赛入围名单公示",
        published_at=start - datetime.timedelta(days=30),
        works=works,
    )
    event = _event(edition, committee, day=day)
    category = edition.categories.get(code="ai_agent")
    judges = _judges(demo)
    talk = _panel(event, works, judges, category=category, start=start, committee=committee)
    for judge in judges:
        _score(judge, talk, works, DEMO_SCORES)
    _past_reviews(edition, works, judges, category=category)
    services.special_award_create(
        event=event, name="最佳创意奖", work=works[2], actor=committee, citation="由合作单位设立"
    )
    services.results_compute(event=event, actor=committee)
    event = services.results_lock(event=event, actor=committee)
    # Locked results → award list under publicity → confirmed final → results, certificates.
    award_list = _confirmed_list(
        edition,
        committee,
        kind=ListKind.AWARD,
        title=f"{edition.name}获奖名单公示",
        published_at=start + datetime.timedelta(days=1),
    )
    event = services.results_publish(event=event, actor=committee)
    # Dated as last year's (the audit trail keeps the real time of seeding).
    published = award_list.final_at + datetime.timedelta(hours=2)
    FinalEvent.objects.filter(pk=event.pk).update(
        results_locked_at=start + datetime.timedelta(hours=8), results_published_at=published
    )
    Certificate.objects.filter(event=event).update(issued_on=published.date())
    demo.extra["past_final_event"] = event


def _past_reviews(edition, works, experts, *, category) -> None:
    """Last year's online reviews with comments to the authors (for the growth reports).

    Written as stored rows with their audit events, as an import of past data would: the
    review service refuses an edition whose review window closed a year ago."""
    jury, _created = Jury.objects.get_or_create(edition=edition, category=category, level="")
    rubric = rubric_of(category)
    for n, expert in enumerate(experts):
        for i, (work, (presentation, _task)) in enumerate(zip(works, DEMO_SCORES, strict=False)):
            assignment, _created = Assignment.objects.get_or_create(
                jury=jury, work=work, expert=expert
            )
            if Review.objects.filter(assignment=assignment).exists():
                continue
            scores = {
                str(d.pk): max(1, min(10, presentation + (j + n + i) % 3 - 1))
                for j, d in enumerate(rubric)
            }
            review = Review.objects.create(
                assignment=assignment,
                scores=scores,
                total=weighted_total(rubric, scores),
                status=ReviewStatus.SUBMITTED,
                submitted_at=timezone.now(),
                comment_to_committee="完成度较高。",
                comment_to_authors=AUTHOR_COMMENTS[(i + n) % len(AUTHOR_COMMENTS)],
            )
            audit_record(
                actor=expert,
                action="review.submit",
                obj=review,
                after={"scores": scores, "total": review.total, "status": review.status},
                edition_id=edition.pk,
            )
    # Rows written directly, as a bulk import: recount the kept review progress figures.
    judging_counts.rebuild(edition.pk)
