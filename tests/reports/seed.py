"""Works in several units, categories, levels and states (ORM + ``transition_work``)."""

import itertools

from gongchuang.accounts.enums import Level
from gongchuang.accounts.models import School, Unit
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from gongchuang.submissions.services import transition_work

LEVELS = [Level.PRIMARY, Level.JUNIOR, Level.SENIOR]
# What happens to the i-th work: stays a draft, is submitted, or submitted then recommended.
FATES = ["draft", "submitted", "recommended", "submitted", "returned"]


def seed_works(edition, creator, *, per_unit: int = 6, unit_codes=("HD", "CY", "DC")) -> list[Work]:
    categories = list(edition.categories.filter(code__in=["ai_art", "ai_agent", "ai_scientist"]))
    works = []
    counter = itertools.count()
    for code in unit_codes:
        unit = Unit.objects.get(code=code)
        school, _ = School.objects.get_or_create(unit=unit, name=f"{unit.name}统计测试学校")
        for _i in range(per_unit):
            n = next(counter)
            work = Work.objects.create(
                edition=edition,
                category=categories[n % len(categories)],
                title=f"统计作品{n}",
                level=LEVELS[n % len(LEVELS)],
                unit=unit,
                school=school,
                created_by=creator,
            )
            fate = FATES[n % len(FATES)]
            if fate != "draft":
                transition_work(work, WorkState.SUBMITTED, actor=creator)
            if fate == "recommended":
                transition_work(work, WorkState.RECOMMENDED, actor=creator)
            if fate == "returned":
                transition_work(work, WorkState.RETURNED, actor=creator, reason="请补充材料")
            works.append(work)
    return works


TO_FINAL = [WorkState.RECOMMENDED, WorkState.QUALIFIED, WorkState.REVIEWED, WorkState.FINALIST]


def to_final(work: Work, actor) -> Work:
    """Walk a submitted, returned or recommended work on to the final (finalist)."""
    if work.state == WorkState.RETURNED:
        work = transition_work(work, WorkState.SUBMITTED, actor=actor)
    start = TO_FINAL.index(work.state) + 1 if work.state in TO_FINAL else 0
    for state in TO_FINAL[start:]:
        work = transition_work(work, state, actor=actor, reason="测试")
    return work
