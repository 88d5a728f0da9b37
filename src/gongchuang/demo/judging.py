"""Demo: experts, an ai_art jury with qualified works, solved assignments and some reviews."""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from gongchuang.accounts import services as accounts
from gongchuang.accounts.enums import DocumentType, Level
from gongchuang.accounts.models import School, Unit, User
from gongchuang.demo.accounts import DEMO_PASSWORD, demo_national_id
from gongchuang.judging import services
from gongchuang.judging.enums import ReviewStatus
from gongchuang.judging.models import Assignment, Jury
from gongchuang.submissions.enums import AuthorRole, WorkState
from gongchuang.submissions.models import Authorship, Work
from gongchuang.submissions.services import transition_work

EXPERTS = [
    ("expert_a", "周教授", "北京示范大学", "DEMOU", "图像生成 数字绘画 视觉艺术"),
    ("expert_b", "吴研究员", "北京人工智能研究院", "", "音乐生成 声音艺术 多媒体"),
    ("expert_c", "郑老师", "北京市朝阳区示范中学", "CY", "美术教育 绘画 创意设计"),
    ("expert_d", "孙工程师", "北京某科技公司", "", "视频生成 动画 影像"),
    ("expert_e", "钱教授", "北京示范大学", "DEMOU", "人工智能伦理 版权 数字艺术"),
    ("expert_f", "冯研究员", "北京科学中心", "", "科普 创意编程 交互艺术"),
]
WORKS = [
    ("AI 绘制的家乡四季", "数字绘画 图像生成 家乡", "用文生图工具描绘门头沟四季风景。"),
    ("未来城市交响曲", "音乐生成 城市 声音", "用 AI 作曲工具创作一首关于未来城市的乐曲。"),
    ("胡同里的猫", "图像生成 绘本 动物", "以胡同猫为主角的 AI 绘本。"),
    ("长城的一天", "视频生成 动画 长城", "用视频生成模型制作长城日出到日落的短片。"),
    ("我的 AI 画室", "创意设计 绘画 风格迁移", "用风格迁移把同学的素描变成水彩。"),
    ("声音里的北京", "声音艺术 采样 多媒体", "采集北京街头声音，用 AI 重新编排。"),
    ("二十四节气海报", "海报 图像生成 传统文化", "二十四节气主题的 AI 海报系列。"),
    ("梦境动画", "动画 视频生成 梦", "把同学描述的梦境做成动画。"),
    ("AI 与水墨", "水墨 数字绘画 风格", "探索 AI 生成水墨画的笔触。"),
    ("星空音乐盒", "音乐生成 交互 星空", "可交互的 AI 星空音乐盒。"),
    ("校园植物图鉴", "图像生成 植物 科普", "AI 绘制的校园植物科普图鉴。"),
    ("古诗新画", "古诗 图像生成 传统文化", "为古诗配上 AI 绘制的插画。"),
]
SCHOOLS = [
    "北京市海淀区示范中学",
    "北京市朝阳区示范中学",
    "北京市门头沟区示范中学",
    "北京市海淀区示范小学",
]
LEVELS = [Level.JUNIOR, Level.SENIOR, Level.JUNIOR, Level.PRIMARY]


def seed_judging(demo) -> None:
    edition = demo.edition
    category = edition.categories.get(code="ai_art")
    if Jury.objects.filter(edition=edition, category=category).exists():
        return
    committee = demo.users["committee"]
    # One hash for all demo experts (same public password): hashing is slow on purpose.
    password_hash = make_password(DEMO_PASSWORD)
    experts = [_expert(*row, password_hash=password_hash, committee=committee) for row in EXPERTS]
    main = demo.users["expert"]
    services.expert_upsert(
        real_name=main.real_name, mobile=main.mobile, email=main.email,
        organisation="北京市青少年科技教育协会", expertise="数字绘画 图像生成 艺术教育",
        categories=["ai_art"], levels=[], max_load=30, actor=committee,
    )  # fmt: skip
    works = _qualified_works(demo, category, committee)
    jury = services.jury_create(
        edition=edition, category=category, members=[*experts, main], actor=committee
    )
    services.jury_solve(jury=jury, actor=committee)
    services.jury_publish(jury=jury, actor=committee)
    # The demo shows the per-jury option: the main expert sees the others' scores of a work
    # (anonymous) once they have submitted their own review of it.
    services.jury_set_peer_scores_visible(jury=jury, visible=True, actor=committee)
    demo.extra["judging_jury"] = jury
    demo.extra["judging_works"] = works
    # Five experts review everything (with their own severity); the main expert starts fresh.
    rng = random.Random(2026)
    quality = {w.pk: rng.randint(4, 9) for w in works}
    for n, expert in enumerate(experts[:5]):
        services.pledge_accept(expert=expert, edition=edition)
        severity = [-1, 0, 1, 0, -1][n]
        for a in Assignment.objects.filter(jury=jury, expert=expert).select_related(
            "work__category"
        ):
            scores = {
                str(d.pk): max(1, min(10, quality[a.work_id] + severity + rng.randint(-1, 1)))
                for d in a.work.category.rubric.all()
            }
            services.review_save(
                assignment=a, scores=scores, comment_to_committee="创意较好，完成度较高。",
                comment_to_authors=AUTHOR_COMMENTS[(a.work_id + n) % len(AUTHOR_COMMENTS)],
                submit=True, actor=expert,
            )  # fmt: skip
    _seed_discussion(jury, lead=experts[0], committee=committee)


def _seed_discussion(jury: Jury, *, lead: User, committee: User) -> None:
    """周教授 leads the jury; on the work the experts disagree on most, two of its experts
    discuss and the lead writes a consensus note (shown at finalist approval)."""
    jury = services.jury_set_discussion(
        jury=jury, discussion_after_review=True, lead=lead, actor=committee
    )
    totals: dict[int, list[tuple]] = {}
    for a in (
        Assignment.objects.filter(jury=jury, forbidden=False, review__status=ReviewStatus.SUBMITTED)
        .select_related("review", "expert", "work")
        .order_by("work_id", "expert_id")
    ):
        totals.setdefault(a.work_id, []).append((a.review.total, a.expert, a.work))
    rows = [r for r in totals.values() if len(r) >= 2]
    if not rows:
        return
    disputed = max(rows, key=lambda r: max(t for t, _e, _w in r) - min(t for t, _e, _w in r))
    disputed.sort(key=lambda row: row[0])
    (low, low_expert, work), (high, high_expert, _w) = disputed[0], disputed[-1]
    services.discussion_post(
        jury=jury, work=work, actor=high_expert,
        body="我给分较高：作品选题贴近生活，AI 工具的使用过程记录完整，创新性值得肯定。",
    )  # fmt: skip
    services.discussion_post(
        jury=jury, work=work, actor=low_expert,
        body="同意选题不错，但画面细节有明显的生成痕迹，作者自己的加工较少，所以完成度给分偏低。",
    )  # fmt: skip
    services.consensus_note_save(
        jury=jury, work=work, actor=lead,
        body=(
            f"两位专家的分歧（{low:.0f} 分与 {high:.0f} 分）主要在完成度：创新性认可一致，"
            "建议按校准后的分数处理，如在入围线附近可优先入围并在决赛中重点考察作者本人的加工。"
        ),
    )  # fmt: skip


# Comments the authors read anonymously (review result, growth report after the final).
AUTHOR_COMMENTS = [
    "构思新颖，建议在作品说明中补充 AI 工具的具体使用过程。",
    "画面完成度高，可以进一步思考作品与主题之间的联系。",
    "创意有亮点，建议多做几轮迭代并记录修改思路。",
]


def _expert(username, name, organisation, unit_code, expertise, *, password_hash, committee):
    existing = User.objects.filter(username=username).first()
    if existing is None:
        existing = User.objects.create(
            username=username, password=password_hash, real_name=name,
            email=f"{username}@demo.gongchuang.local",
        )  # fmt: skip
    services.expert_upsert(
        real_name=name, mobile="", email=existing.email, organisation=organisation,
        unit=Unit.objects.filter(code=unit_code).first() if unit_code else None,
        expertise=expertise, categories=["ai_art"], levels=[], max_load=20, actor=committee,
    )  # fmt: skip
    return existing


def _qualified_works(demo, category, committee) -> list[Work]:
    """The demo's qualified ai_art works, topped up to twelve with demo students' works."""
    works = list(
        Work.objects.filter(edition=demo.edition, category=category, state=WorkState.QUALIFIED)
    )
    for i, (title, keywords, abstract) in enumerate(WORKS[len(works) :], start=len(works)):
        username = f"art_student{i + 1}"
        student = User.objects.filter(username=username).first()
        school = School.objects.get(name=SCHOOLS[i % len(SCHOOLS)])
        if student is None:
            student = accounts.student_register(
                # Background authors, not demo logins: no (deliberately slow) password hash.
                username=username, password=None, real_name=f"艺术学生{i + 1}",
                email=f"{username}@demo.gongchuang.local", level=LEVELS[i % len(LEVELS)],
                school=school, grade="初二",
                birth_date=datetime.date(2009, 1, 1) + datetime.timedelta(days=37 * i),
                document_type=DocumentType.RESIDENT_ID,
                document_number=demo_national_id(
                    username, datetime.date(2009, 1, 1) + datetime.timedelta(days=37 * i)
                ),
                guardian_name="家长", guardian_phone="13800000009", guardian_consent=True,
            )  # fmt: skip
        profile = student.student_profile
        work = Work.objects.create(
            edition=demo.edition, category=category, title=title, keywords=keywords,
            abstract=abstract, level=profile.level, unit=profile.unit, school=profile.school,
            created_by=student, originality_pledge=True, ai_tool_list=["wenxin", "other"],
            ai_tools="Suno", ai_generated="画面/旋律初稿由 AI 生成，作者修改与编排。",
            ai_contribution="构思、选材、修改与编排由作者完成。",
        )  # fmt: skip
        Authorship.objects.create(
            work=work, edition=demo.edition, user=student, role=AuthorRole.AUTHOR,
            identity_key=profile.identity_key, person_key=profile.person_key,
            accepted_at=timezone.now(),
        )  # fmt: skip
        for state in (WorkState.SUBMITTED, WorkState.RECOMMENDED, WorkState.QUALIFIED):
            work = transition_work(work, state, actor=committee, reason="演示数据")
        works.append(work)
    return works


def seed_practice(demo) -> None:
    """Two sample works of ai_art with reference scores (past works where the demo has
    them) and one expert's practice scores; the main expert's queue offers the practice."""
    from gongchuang.judging.models import PracticeWork

    edition = demo.edition
    if PracticeWork.objects.filter(edition=edition).exists():
        return
    category = edition.categories.get(code="ai_art")
    committee = demo.users["committee"]
    rubric = list(category.rubric.all())
    past = list(Work.objects.exclude(edition=edition).exclude(code="").order_by("pk")[:2])
    samples = []
    for n, (title, base) in enumerate((("往届样例：家乡的四季", 7), ("往届样例：未来城市", 5))):
        samples.append(
            services.practice_work_add(
                edition=edition,
                category=category,
                work_code=past[n].code if n < len(past) else "",
                title="" if n < len(past) else title,
                description="组委会选定的往届作品，用于评审练习。",
                reference={str(d.pk): base + (i % 2) for i, d in enumerate(rubric)},
                actor=committee,
            )
        )
    expert = User.objects.filter(username=EXPERTS[1][0]).first()
    if expert is None:
        return
    for sample, shift in zip(samples, (1, 2), strict=True):
        services.practice_score_submit(
            edition=edition, practice_work_pk=sample.pk, actor=expert,
            scores={k: min(10, v + shift) for k, v in sample.reference.items()},
        )  # fmt: skip
