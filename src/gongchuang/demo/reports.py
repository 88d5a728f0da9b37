"""Demo data for the dashboards: a few submitted works spread over units, levels and days.

The other seeders (submissions, screening, …) already create works; this seeder adds
a handful in other districts with submission dates spread over the past days so that
the daily curve and the per-unit charts show something. Idempotent.
"""

import datetime

from django.utils import timezone

from gongchuang.accounts.enums import Level
from gongchuang.accounts.models import School, Unit, User
from gongchuang.submissions.counts import work_redate_submission
from gongchuang.submissions.enums import AuthorRole, WorkState
from gongchuang.submissions.models import Authorship, Work
from gongchuang.submissions.services import transition_work

DEMO_WORKS = [
    ("DC", "ai_art", Level.PRIMARY, "AI 画笔下的故宫角楼"),
    ("XC", "ai_agent", Level.JUNIOR, "胡同导览智能体"),
    ("FT", "ai_scientist", Level.SENIOR, "用机器学习预测丰台花卉花期"),
    ("TZ", "ai_company", Level.SENIOR, "一人公司：AI 校园二手书店"),
    ("CP", "ai_art", Level.JUNIOR, "AI 想象的未来长城"),
    ("DX", "ai_agent", Level.PRIMARY, "小学生作业提醒智能体"),
]


def seed_reports(demo) -> None:
    edition = demo.edition
    if Work.objects.filter(edition=edition, title=DEMO_WORKS[0][3]).exists():
        return
    now = timezone.now()
    for i, (unit_code, category_code, level, title) in enumerate(DEMO_WORKS):
        unit = Unit.objects.filter(code=unit_code).first()
        category = edition.categories.filter(code=category_code).first()
        if unit is None or category is None:
            continue
        school, _ = School.objects.get_or_create(unit=unit, name=f"{unit.name}演示学校")
        user, _ = User.objects.get_or_create(
            username=f"demo_report_{edition.pk}_{i}",
            defaults={"real_name": f"演示作者{i + 1}", "is_active": False},
        )
        work = Work.objects.create(
            edition=edition,
            category=category,
            title=title,
            level=level,
            unit=unit,
            school=school,
            created_by=user,
            originality_pledge=True,
            abstract=f"{title}：运用生成式人工智能开展的实践作品。",
        )
        Authorship.objects.create(
            work=work,
            edition=edition,
            user=user,
            role=AuthorRole.AUTHOR,
            order=0,
            identity_key=f"demo-report-{edition.pk}-{i}",
            accepted_at=now,
        )
        transition_work(work, WorkState.SUBMITTED, actor=user)
        # Spread the submission days so the daily curve has a shape.
        work_redate_submission(work, now - datetime.timedelta(days=len(DEMO_WORKS) - i))
