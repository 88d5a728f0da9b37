"""Works for tests: a work with its author (and advisor), moved along its states by the
real transition service (``submissions.services.transition_work``)."""

import datetime
import itertools

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from gongchuang.accounts.enums import Level
from gongchuang.submissions.enums import AuthorRole, WorkState
from gongchuang.submissions.models import Authorship, Work
from gongchuang.submissions.services import transition_work

from . import people

_seq = itertools.count(1)
#: The states a work passes on its way to the final.
TO_QUALIFIED = (WorkState.SUBMITTED, WorkState.RECOMMENDED, WorkState.QUALIFIED)
TO_FINALIST = (*TO_QUALIFIED, WorkState.REVIEWED, WorkState.FINALIST)


class WorkFactory(DjangoModelFactory):
    """A draft work of ``author`` with its author row, and an advisor's when ``advisor`` is given.

    ``edition`` and ``author`` are required; ``category_code`` picks the category. Level,
    unit and school come from the author's student profile unless given (a teacher's
    teaching case names its level and school).
    """

    class Meta:
        model = Work
        exclude = ("author", "profile")

    class Params:
        category_code = "ai_art"

    edition = None
    author = None
    profile = factory.LazyAttribute(lambda o: getattr(o.author, "student_profile", None))
    category = factory.LazyAttribute(lambda o: o.edition.categories.get(code=o.category_code))
    title = factory.Sequence(lambda n: f"作品{n}")
    level = factory.LazyAttribute(lambda o: o.profile.level)
    school = factory.LazyAttribute(lambda o: o.profile.school)
    unit = factory.LazyAttribute(lambda o: o.school.unit)
    created_by = factory.SelfAttribute("author")
    originality_pledge = True

    @classmethod
    def _create(cls, model_class, *args, advisor=None, **kwargs):
        work = super()._create(model_class, *args, **kwargs)
        author = work.created_by
        profile = getattr(author, "student_profile", None)
        Authorship.objects.create(
            work=work,
            edition=work.edition,
            user=author,
            role=AuthorRole.AUTHOR,
            # teachers (teaching cases) have no student profile and no one-work slot
            identity_key=profile.identity_key if profile else "",
            accepted_at=timezone.now(),
        )
        if advisor is not None:
            Authorship.objects.create(
                work=work,
                edition=work.edition,
                user=advisor,
                role=AuthorRole.ADVISOR,
                order=1,
                accepted_at=timezone.now(),
            )
        return work


def move(work: Work, *states: str, actor, reason: str = "") -> Work:
    """``work`` moved through ``states`` in order by the transition service."""
    for state in states:
        work = transition_work(work, state, actor=actor, reason=reason)
    return work


def submitted_work(edition, student, *, title="AI 守护城市绿地", advisor=None, category="ai_art"):
    """A work of ``student``, submitted by them."""
    work = WorkFactory(
        edition=edition, author=student, title=title, advisor=advisor, category_code=category
    )
    return move(work, WorkState.SUBMITTED, actor=student)


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
    """A new student at ``school`` with one work moved draft → submitted → recommended →
    qualified (by ``committee``)."""
    n = next(_seq)
    birth = datetime.date(2010, 1, 1) + datetime.timedelta(days=n)  # distinct identity per student
    student = people.student(school, real_name=real_name, level=level, birth_date=birth)
    work = WorkFactory(
        edition=edition,
        author=student,
        category_code=category,
        title=title or f"作品{n}",
        abstract=abstract,
        keywords=keywords,
        advisor=advisor,
    )
    return move(work, *TO_QUALIFIED, actor=committee)


def rubric_values(work: Work, value) -> dict[str, object]:
    """``value`` for every dimension of the work's rubric (a review's or a score's values)."""
    return {str(d.pk): value for d in work.category.rubric.all()}
