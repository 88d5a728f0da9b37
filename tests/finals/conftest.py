"""Finalist works and a final event for the finals tests (built through the real services)."""

import datetime
import itertools

import pytest
from django.utils import timezone

from gongchuang.accounts.enums import Level, Role
from gongchuang.accounts.models import User
from gongchuang.demo.finals import score_sheets
from gongchuang.finals import services
from gongchuang.finals.enums import SessionKind
from gongchuang.publicity.enums import ListKind
from gongchuang.publicity.services import publicity_confirm_final, publicity_publish
from tests.factories import people
from tests.factories.works import TO_FINALIST, WorkFactory, move

_seq = itertools.count(1)


def make_finalist(
    edition,
    *,
    school,
    category="ai_art",
    level=Level.JUNIOR,
    title=None,
    student=None,
    advisor=None,
    actor=None,
    listed=True,
):
    n = next(_seq)
    student = student or people.student(school, real_name=f"学生{n}", level=level)
    work = WorkFactory(
        edition=edition,
        author=student,
        category_code=category,
        title=title or f"决赛作品{n}",
        level=level,
        school=school,
        advisor=advisor,
    )
    work = move(work, *TO_FINALIST, actor=actor)
    if listed:
        confirm_finalist_listed(work)
    return work


def confirm_finalist_listed(work):
    """Put ``work`` on a finalist list whose publicity ended a month ago, confirmed final
    (the real services): its part of the final may start."""
    committee = User.objects.filter(memberships__role=Role.COMMITTEE).first()
    if committee is None:
        committee = people.staff(Role.COMMITTEE, username=f"committee_list{next(_seq)}")
    publicity = publicity_publish(
        edition=work.edition,
        kind=ListKind.FINALIST,
        title="决赛入围名单公示",
        actor=committee,
        works=[work],
        now=timezone.now() - datetime.timedelta(days=30),
    )
    publicity_confirm_final(publicity=publicity, actor=committee)
    return work


@pytest.fixture
def finalist_factory(edition):
    def make(**kwargs):
        return make_finalist(edition, **kwargs)

    return make


def make_event(edition, committee, *, name="2026年终评展示活动"):
    """A two-day final event starting today."""
    today = timezone.localdate()
    return services.event_create(
        edition=edition,
        name=name,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=1),
        venue="北京科学中心",
        actor=committee,
    )


def make_presentation_session(event, committee, *, hours_left=3):
    """The AI-art junior presentation session, running now."""
    now = timezone.now()
    return services.session_create(
        event=event,
        kind=SessionKind.PRESENTATION,
        title="AI 艺术创作 初中组 展示答辩",
        room="A101",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=hours_left),
        category=event.edition.categories.get(code="ai_art"),
        level=Level.JUNIOR,
        actor=committee,
    )


@pytest.fixture
def event(edition, roles):
    return make_event(edition, roles["committee"])


@pytest.fixture
def session(event, roles):
    return make_presentation_session(event, roles["committee"])


@pytest.fixture
def judge(units):
    """An expert from the CY district: no conflict with HD works."""
    return people.staff(Role.EXPERT, username="judge_cy", unit=units["cy"], real_name="王评委")


def confirm_award_list(event):
    """Publish the award list of the locked results with a publicity window that ended a
    month ago, and confirm it final (the real services)."""
    committee = User.objects.filter(memberships__role=Role.COMMITTEE).first()
    publicity = publicity_publish(
        edition=event.edition,
        kind=ListKind.AWARD,
        title="获奖名单公示",
        actor=committee,
        now=timezone.now() - datetime.timedelta(days=30),
    )
    return publicity_confirm_final(publicity=publicity, actor=committee)


def publish_results(event, committee):
    """Locked results → award list confirmed final → results published."""
    confirm_award_list(event)
    return services.results_publish(event=event, actor=committee)


# --- Award publicity (issue 22): locked results ready for their award list ---------


@pytest.fixture
def locked(session, finalist_factory, units, judge, roles):
    """Three scored finalists (9, 7, 5), results computed and locked; one special award."""
    committee = roles["committee"]
    services.session_add_judge(session=session, judge=judge, actor=committee)
    works = []
    for value in (9, 7, 5):
        work = finalist_factory(school=units["hd_school"], title=f"作品{value}")
        services.session_add_participant(session=session, work=work, actor=committee)
        score_sheets(judge, session, work, presentation=value, task=value, key="tests")
        works.append(work)
    unscored = finalist_factory(school=units["hd_school"], title="无评分作品")
    services.special_award_create(
        event=session.event, name="最佳创意奖", work=unscored, actor=committee
    )
    services.results_compute(event=session.event, actor=committee)
    event = services.results_lock(event=session.event, actor=committee)
    return {"event": event, "works": works, "special": unscored, "committee": committee}


def award_list_of(locked, now=None):
    return publicity_publish(
        edition=locked["event"].edition,
        kind=ListKind.AWARD,
        title="获奖名单公示",
        actor=locked["committee"],
        now=now,
    )


def end_of(publicity) -> str:
    return timezone.localtime(publicity.ends_at).strftime("%Y-%m-%d %H:%M")
