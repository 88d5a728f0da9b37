"""Demo data for the qualification review: HD works submitted, a few recommended, one returned;
and school confirmation (学校确认) turned on, with works waiting for the demo coordinator."""

import datetime

from gongchuang.accounts.enums import Level
from gongchuang.accounts.models import School, Unit, User
from gongchuang.editions.services import edition_school_confirmation_update
from gongchuang.screening.school import school_confirm, school_return
from gongchuang.screening.services import work_recommend, work_return
from gongchuang.submissions.enums import AuthorRole, WorkState
from gongchuang.submissions.models import Authorship, Work
from gongchuang.submissions.services import transition_work

DEMO_TITLES = [
    "AI 绘就京西古道",
    "智能垃圾分类助手",
    "用 AI 复原老北京胡同",
    "校园植物识别智能体",
    "AI 谱写的二十四节气",
    "我的 AI 学习伙伴",
    "城市夜景的 AI 想象",
    "AI 帮奶奶读药品说明书",
]


def seed_screening(demo) -> None:
    """HD: works submitted, a few recommended, one returned; CY: recommended works for the city.

    Uses the submissions seeder's works (``demo.extra["works"]``) and adds its own
    only when they are missing.
    """
    edition = demo.edition
    organizer, organizer_cy = demo.users["organizer"], demo.users.get("organizer_cy")
    works = [w for w in demo.extra.get("works", []) if w.edition_id == edition.pk]
    if not any(w.unit.code == "HD" for w in works):
        works += _own_works(demo)
    works = [Work.objects.select_related("unit", "edition").get(pk=w.pk) for w in works]
    hd = [w for w in works if w.unit.code == "HD" and w.state == WorkState.SUBMITTED]
    cy = [w for w in works if w.unit.code == "CY" and w.state == WorkState.SUBMITTED]
    for work in hd[:3]:
        work_recommend(work=work, actor=organizer)
    returned = demo.extra.get("returned_work")
    if returned is None and len(hd) > 4:
        work_return(
            work=hd[3], actor=organizer, reason="演示视频无法播放，请重新上传 MP4 格式的视频。"
        )
    if organizer_cy is not None:
        for work in cy[:2]:
            work_recommend(work=work, actor=organizer_cy)
    demo.extra["recommended_works"] = [w.pk for w in hd[:3] + cy[:2]]


def _own_works(demo) -> list[Work]:
    edition = demo.edition
    hd = Unit.objects.get(code="HD")
    school = School.objects.filter(unit=hd).order_by("pk").first()
    art = edition.categories.get(code="ai_art")
    agent = edition.categories.get(code="ai_agent")
    works = []
    for i, title in enumerate(DEMO_TITLES):
        work = _work(edition, art if i % 2 == 0 else agent, hd, school, title, demo)
        works.append(transition_work(work, WorkState.SUBMITTED, actor=work.created_by))
    cy = Unit.objects.get(code="CY")
    cy_school = School.objects.filter(unit=cy).order_by("pk").first()
    if cy_school is not None:
        work = _work(edition, art, cy, cy_school, "AI 眼中的朝阳公园四季", demo)
        works.append(transition_work(work, WorkState.SUBMITTED, actor=work.created_by))
    return works


def _work(edition, category, unit, school, title, demo) -> Work:
    n = Work.objects.filter(edition=edition).count() + 1
    username = f"demo_author_{edition.pk}_{n}"
    user, _ = User.objects.get_or_create(
        username=username, defaults={"real_name": f"演示学生{n}", "is_active": False}
    )
    work = Work.objects.create(
        edition=edition,
        category=category,
        title=title,
        abstract=f"{title}：本作品运用生成式人工智能工具，围绕身边的真实问题开展创作与实践。",
        keywords="人工智能, 创作",
        level=Level.JUNIOR,
        unit=unit,
        school=school,
        created_by=user,
        ai_tool_list=["wenxin", "tongyi"],
        ai_contribution="构图、配色调整与细节修改由作者完成。",
        ai_generated="画面草图与配色方案由 AI 生成，构图与修改由作者完成。",
        ai_process="先用提示词生成草图，再多次修改提示词并手工调整细节。",
        originality_pledge=True,
    )
    Authorship.objects.create(
        work=work,
        edition=edition,
        user=user,
        role=AuthorRole.AUTHOR,
        identity_key=f"demo-{edition.pk}-{n}",
    )
    return work


SCHOOL_TITLES = [
    "AI 讲述中关村的故事",
    "校园能耗监测小助手",
    "AI 生成的京剧脸谱",
    "图书馆借阅推荐智能体",
]


def seed_school_confirmation(demo) -> None:
    """Turn school confirmation on for the demo edition (the earlier works stay with their
    units) and give the coordinator's school (北京市海淀区示范中学) works to confirm: two
    waiting, one confirmed, one returned with its reason."""
    edition = demo.edition
    if edition.school_confirmation:
        return
    day = datetime.timedelta(days=1)
    edition_school_confirmation_update(
        edition=edition,
        actor=demo.users["committee"],
        values={
            "enabled": True,
            "opens_at": demo.now - 5 * day,
            "closes_at": demo.now + 16 * day,
            "reason": "演示：本届开启学校确认，作品提交后先由学校联络员确认。",
        },
    )
    edition.refresh_from_db()
    coordinator = demo.users["coordinator"]
    school = School.objects.get(name="北京市海淀区示范中学")
    art, agent = edition.categories.get(code="ai_art"), edition.categories.get(code="ai_agent")
    works = []
    for i, title in enumerate(SCHOOL_TITLES):
        work = _work(edition, art if i % 2 == 0 else agent, school.unit, school, title, demo)
        works.append(transition_work(work, WorkState.AWAITING_SCHOOL, actor=work.created_by))
    for work in works:
        work.edition = edition
    school_confirm(work=works[0], actor=coordinator)
    school_return(
        work=works[1],
        actor=coordinator,
        reason="作品说明中缺少 AI 工具的使用过程，请补充后重新提交。",
    )
