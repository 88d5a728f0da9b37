"""Demo data for the qualification review: HD works submitted, a few recommended, one returned."""

from gongchuang.accounts.enums import Level
from gongchuang.accounts.models import School, Unit
from gongchuang.common.registry import demo_seeder
from gongchuang.submissions.enums import AuthorRole, WorkState
from gongchuang.submissions.models import Authorship, Work
from gongchuang.submissions.services import transition_work

from .services import work_recommend, work_return

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


@demo_seeder(order=30)
def seed_screening(demo) -> None:
    """Works under review in 海淀; one recommended work of 朝阳 for the committee."""
    edition = demo.edition
    if Work.objects.filter(edition=edition, title=DEMO_TITLES[0]).exists():
        return
    organizer = demo.users["organizer"]
    hd = Unit.objects.get(code="HD")
    school = School.objects.filter(unit=hd).order_by("pk").first()
    art = edition.categories.get(code="ai_art")
    agent = edition.categories.get(code="ai_agent")
    works = []
    for i, title in enumerate(DEMO_TITLES):
        work = _work(edition, art if i % 2 == 0 else agent, hd, school, title, demo)
        transition_work(work, WorkState.SUBMITTED, actor=work.created_by)
        works.append(work)
    for work in works[:3]:
        work_recommend(work=work, actor=organizer)
    work_return(
        work=works[3],
        actor=organizer,
        reason="演示视频无法播放，请重新上传 MP4 格式的视频。",
    )
    cy = Unit.objects.get(code="CY")
    cy_school = School.objects.filter(unit=cy).order_by("pk").first()
    if cy_school is not None and demo.users.get("organizer_cy"):
        cy_work = _work(edition, art, cy, cy_school, "AI 眼中的朝阳公园四季", demo)
        transition_work(cy_work, WorkState.SUBMITTED, actor=cy_work.created_by)
        work_recommend(work=cy_work, actor=demo.users["organizer_cy"])
    demo.extra.setdefault("screening_works", [w.pk for w in works])


def _work(edition, category, unit, school, title, demo) -> Work:
    from gongchuang.accounts.models import User

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
        ai_tools="文心一格、通义千问",
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
