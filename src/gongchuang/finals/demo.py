"""Demo final: an event with a programme, finalists, judges' scores and published results."""

import datetime

from django.utils import timezone

from gongchuang.accounts import services as account_services
from gongchuang.accounts.enums import Level
from gongchuang.accounts.models import School, User
from gongchuang.common.registry import demo_seeder
from gongchuang.submissions.enums import AuthorRole, WorkState
from gongchuang.submissions.models import Authorship, Work
from gongchuang.submissions.services import transition_work

from . import services
from .enums import ScoreKind, SessionKind
from .models import FinalEvent, OnsiteTask

DEMO_PASSWORD = "Gongchuang2026"  # noqa: S105 - the documented demo password
FINALISTS = [
    ("final1", "周子涵", "北京市海淀区示范中学", "未来城市的四季"),
    ("final2", "吴思远", "北京市朝阳区示范中学", "AI 笔下的胡同记忆"),
    ("final3", "郑可欣", "北京市门头沟区示范中学", "永定河的守护者"),
    ("final4", "孙浩然", "北京市朝阳区示范中学", "机器人眼中的长城"),
    ("final5", "冯雨桐", "北京市门头沟区示范中学", "星空下的京西古道"),
]
PATH = [
    WorkState.SUBMITTED,
    WorkState.RECOMMENDED,
    WorkState.QUALIFIED,
    WorkState.REVIEWED,
    WorkState.FINALIST,
]
# (presentation, task) value per dimension for the first finalists, 0–10
DEMO_SCORES = [(9, 9), (8, 7), (7, 8), (6, 6), (5, 6)]


def _finalist(edition, username, real_name, school_name, title, committee):
    school = School.objects.get(name=school_name)
    user = User.objects.filter(username=username).first() or account_services.student_register(
        username=username,
        password=DEMO_PASSWORD,
        real_name=real_name,
        email=f"{username}@demo.gongchuang.local",
        level=Level.JUNIOR,
        school=school,
        grade="初三",
        birth_date=datetime.date(2011, 6, 1),
    )
    work = Work.objects.filter(edition=edition, created_by=user).first()
    if work is not None:
        return work
    work = Work.objects.create(
        edition=edition,
        category=edition.categories.get(code="ai_art"),
        title=title,
        abstract="以 AI 绘画工具创作的系列作品。",
        level=Level.JUNIOR,
        unit=school.unit,
        school=school,
        created_by=user,
        originality_pledge=True,
        ai_tools="文心一格、通义万相",
    )
    Authorship.objects.create(
        work=work,
        edition=edition,
        user=user,
        role=AuthorRole.AUTHOR,
        identity_key=user.student_profile.identity_key,
        accepted_at=timezone.now(),
    )
    for state in PATH:
        work = transition_work(work, state, actor=committee, reason="演示数据")
    return work


@demo_seeder(order=50)
def seed_final(demo) -> None:
    edition, committee, expert = demo.edition, demo.users["committee"], demo.users["expert"]
    if FinalEvent.objects.filter(edition=edition).exists():
        return
    works = [_finalist(edition, *row, committee) for row in FINALISTS]
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
    today = timezone.localdate(demo.now)
    event = services.event_create(
        edition=edition,
        name=f"{edition.name} 终评展示活动",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=1),
        venue="北京科学中心",
        address="北京市西城区北辰路9号院",
        actor=committee,
    )
    start = demo.now.replace(minute=0, second=0, microsecond=0) - datetime.timedelta(hours=1)
    hour = datetime.timedelta(hours=1)
    art = edition.categories.get(code="ai_art")
    talk = services.session_create(
        event=event,
        kind=SessionKind.PRESENTATION,
        title="AI 艺术创作 · 初中组 展示答辩",
        category=art,
        level=Level.JUNIOR,
        room="A101",
        starts_at=start,
        ends_at=start + 3 * hour,
        actor=committee,
    )
    task_session = services.session_create(
        event=event,
        kind=SessionKind.TASK_CHALLENGE,
        title="AI 艺术创作 · 初中组 现场任务挑战",
        category=art,
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
        services.session_add_participant(session=talk, work=work, actor=committee)
        services.session_add_participant(session=task_session, work=work, actor=committee)
        author = work.authorships.get(role=AuthorRole.AUTHOR).user
        services.attendance_answer(event=event, work=work, user=author, attend=True)
    services.session_add_judge(session=talk, judge=expert, actor=committee)
    services.session_add_judge(session=task_session, judge=expert, actor=committee)
    task = OnsiteTask.objects.create(
        session=task_session,
        title="用 AI 为北京中轴线设计一张宣传海报",
        statement="在 60 分钟内，使用任意 AI 工具完成一张海报，并提交作品与创作说明。",
        time_limit_minutes=60,
    )
    services.task_release(task=task, actor=committee)

    dims = list(art.rubric.order_by("order", "pk"))
    for work, (p, t) in zip(works, DEMO_SCORES, strict=False):
        for kind, value in ((ScoreKind.PRESENTATION, p), (ScoreKind.TASK, t)):
            services.score_save(
                judge=expert,
                session=talk,
                work=work,
                kind=kind,
                values={str(d.pk): value for d in dims},
                client_uuid=_uuid(work, kind),
                client_rev=1,
            )
    services.special_award_create(
        event=event, name="最佳创意奖", work=works[1], actor=committee, citation="由合作单位设立"
    )
    services.results_compute(event=event, actor=committee)
    event = services.results_lock(event=event, actor=committee)
    services.results_publish(event=event, actor=committee)
    demo.extra["final_event"] = event


def _uuid(work, kind):
    import uuid

    return uuid.uuid5(uuid.NAMESPACE_URL, f"gongchuang-demo-final/{work.pk}/{kind}")
