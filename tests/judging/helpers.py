"""Qualified works, experts and juries for the judging tests, built through real services."""

import datetime
import itertools

from django.utils import timezone

from gongchuang.accounts.enums import Level
from gongchuang.judging import services
from gongchuang.submissions.enums import AuthorRole, WorkState
from gongchuang.submissions.models import Authorship, Work
from gongchuang.submissions.services import transition_work
from tests.factories import people

_seq = itertools.count(1)


def qualified_work(
    edition,
    school,
    *,
    committee,
    category="ai_art",
    title=None,
    keywords="",
    abstract="",
    level=Level.JUNIOR,
    real_name="李明",
    advisor=None,
):
    """A student at ``school`` with one work moved draft → submitted → recommended → qualified."""
    n = next(_seq)
    birth = datetime.date(2010, 1, 1) + datetime.timedelta(days=n)  # distinct identity per student
    student = people.student(school, real_name=real_name, level=level, birth_date=birth)
    profile = student.student_profile
    work = Work.objects.create(
        edition=edition,
        category=edition.categories.get(code=category),
        title=title or f"作品{n}",
        abstract=abstract,
        keywords=keywords,
        level=profile.level,
        unit=profile.unit,
        school=profile.school,
        created_by=student,
        originality_pledge=True,
    )
    Authorship.objects.create(
        work=work,
        edition=edition,
        user=student,
        role=AuthorRole.AUTHOR,
        identity_key=profile.identity_key,
        accepted_at=timezone.now(),
    )
    if advisor is not None:
        Authorship.objects.create(
            work=work,
            edition=edition,
            user=advisor,
            role=AuthorRole.ADVISOR,
            order=1,
            accepted_at=timezone.now(),
        )
    for state in (WorkState.SUBMITTED, WorkState.RECOMMENDED, WorkState.QUALIFIED):
        work = transition_work(work, state, actor=committee)
    return work


def expert(*, committee, name="专家", expertise="", unit=None, school=None, max_load=30):
    n = next(_seq)
    user = services.expert_upsert(
        real_name=f"{name}{n}",
        mobile=f"139{n:08d}",
        email=f"expert{n}@example.cn",
        organisation="北京示范大学",
        unit=unit,
        school=school,
        expertise=expertise,
        categories=["ai_art"],
        levels=[],
        max_load=max_load,
        actor=committee,
    )
    user.set_password(people.PASSWORD)
    user.save()
    return user


def scores_for(work, value):
    return {str(d.pk): value for d in work.category.rubric.all()}
