"""A submitted work built through the real transition service (for my apps' tests)."""

from django.utils import timezone

from gongchuang.submissions.enums import AuthorRole, WorkState
from gongchuang.submissions.models import Authorship, Work
from gongchuang.submissions.services import transition_work


def submitted_work(edition, student, *, title="AI 守护城市绿地", advisor=None, category="ai_art"):
    profile = student.student_profile
    work = Work.objects.create(
        edition=edition,
        category=edition.categories.get(code=category),
        title=title,
        level=profile.level,
        unit=profile.unit,
        school=profile.school,
        created_by=student,
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
    return transition_work(work, WorkState.SUBMITTED, actor=student)


def move(work, *states, actor, reason=""):
    for state in states:
        work = transition_work(work, state, actor=actor, reason=reason)
    return work
