"""The dashboard's kept figures equal a recount after any sequence of real changes.

Hypothesis draws a sequence of service calls — create, submit, withdraw, the unit's and
the city's decisions, later states, solving a jury, reviews (draft and submitted),
forbidding and adding pairs, removing a jury member, a conflict declaration, deleting a
draft, moving a submission day — on a small edition with a jury; after it, the rows kept
by ``submissions.counts`` and ``judging.counts`` must equal ``rebuild_counts``' recount.
Each sequence runs in a savepoint rolled back afterwards, so every example starts alike.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gongchuang.accounts.models import User
from gongchuang.common.errors import DomainError
from gongchuang.judging import services as judging
from gongchuang.judging.models import Assignment, JuryCount
from gongchuang.reports.counts import differences
from gongchuang.screening import services as screening
from gongchuang.screening.enums import Decision
from gongchuang.submissions.counts import work_redate_submission
from gongchuang.submissions.enums import WORK_TRANSITIONS, WorkState
from gongchuang.submissions.models import Work, WorkCount
from gongchuang.submissions.services import transition_work, work_withdraw
from tests.factories import people
from tests.factories.works import TO_QUALIFIED, WorkFactory, move, qualified_work, rubric_values
from tests.judging.helpers import expert

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(edition, units, roles):
    committee = roles["committee"]
    works = [
        qualified_work(edition, units["hd_school"], committee=committee),
        qualified_work(edition, units["cy_school"], committee=committee),
        qualified_work(edition, units["hd_school2"], committee=committee),
    ]
    for school in (units["hd_school"], units["cy_school"]):
        works.append(WorkFactory(edition=edition, author=people.student(school)))
        submitted = WorkFactory(edition=edition, author=people.student(school))
        works.append(move(submitted, WorkState.SUBMITTED, actor=submitted.created_by))
        recommended = WorkFactory(edition=edition, author=people.student(school))
        works.append(move(recommended, *TO_QUALIFIED[:2], actor=committee))
    experts = [expert(committee=committee) for _ in range(3)]
    jury = judging.jury_create(
        edition=edition,
        category=edition.categories.get(code="ai_art"),
        members=experts,
        actor=committee,
        k=2,
    )
    return {"edition": edition, "units": units, "roles": roles, "jury": jury, "experts": experts}


def _work(w, i, *states):
    """The i-th work (of those in ``states`` when given: an action picks a work it can move)."""
    works = Work.objects.filter(edition=w["edition"]).order_by("pk")
    if states:
        works = works.filter(state__in=states)
    works = list(works) or list(Work.objects.filter(edition=w["edition"]).order_by("pk"))
    return works[i % len(works)]


def _assignment(w, i):
    rows = list(Assignment.objects.filter(jury=w["jury"]).order_by("pk"))
    return rows[i % len(rows)] if rows else None


def _organizer(w, work):
    return (
        w["roles"]["organizer"]
        if work.unit_id == w["units"]["hd"].pk
        else w["roles"]["organizer_cy"]
    )


def create(w, i):
    school = [w["units"]["hd_school"], w["units"]["cy_school"], w["units"]["hd_school2"]][i % 3]
    WorkFactory(edition=w["edition"], author=people.student(school))


def submit(w, i):
    work = _work(w, i, WorkState.DRAFT, WorkState.RETURNED)
    author = work.created_by
    transition_work(work, WorkState.SUBMITTED, actor=author)


def withdraw(w, i):
    work = _work(w, i)
    work_withdraw(work=work, actor=work.created_by, reason="不参加了")


def unit_decision(w, i):
    work = _work(w, i, WorkState.SUBMITTED, WorkState.RECOMMENDED)
    decision = [Decision.RECOMMEND, Decision.RETURN, Decision.REJECT][i // 7 % 3]
    if work.state == WorkState.RECOMMENDED:
        decision = Decision.UNRECOMMEND
    screening.unit_decide(work=work, actor=_organizer(w, work), decision=decision, reason="理由")


def city_decision(w, i):
    work = _work(w, i, WorkState.RECOMMENDED)
    decision = [Decision.QUALIFY, Decision.CITY_REJECT, Decision.RETURN_TO_UNIT][i // 7 % 3]
    screening.city_decide(
        work=work, actor=w["roles"]["committee"], decision=decision, reason="理由"
    )


def later_state(w, i):
    work = _work(w, i, WorkState.QUALIFIED, WorkState.REVIEWED, WorkState.FINALIST)
    targets = sorted(WORK_TRANSITIONS.targets(work.state)) or [WorkState.REVIEWED]
    to = targets[i // 7 % len(targets)]
    transition_work(work, to, actor=w["roles"]["committee"], reason="测试")


def solve(w, i):
    judging.jury_solve(jury=w["jury"], actor=w["roles"]["committee"])


def review(w, i):
    a = _assignment(w, i)
    if a is None:
        return
    scores = rubric_values(a.work, 1 + i % 10)
    judging.review_save(assignment=a, scores=scores, submit=i // 7 % 3 != 0, actor=a.expert)


def forbid(w, i):
    a = _assignment(w, i)
    if a is not None:
        judging.assignment_forbid(
            jury=w["jury"], work=a.work, expert=a.expert, actor=w["roles"]["committee"]
        )


def add(w, i):
    work = _work(w, i)
    chosen = w["experts"][i % len(w["experts"])]
    judging.assignment_add(jury=w["jury"], work=work, expert=chosen, actor=w["roles"]["committee"])


def remove_member(w, i):
    members = [e for e in w["experts"] if e.pk != w["experts"][i % len(w["experts"])].pk]
    judging.jury_set_members(jury=w["jury"], members=members, actor=w["roles"]["committee"])


def conflict(w, i):
    chosen = w["experts"][i % len(w["experts"])]
    judging.conflict_declare(
        expert=chosen, school=None, unit=None, work=_work(w, i), reason="亲属", actor=chosen
    )


def delete_draft(w, i):
    work = _work(w, i)
    if work.state == WorkState.DRAFT:
        work.delete()


def delete_expert(w, i):
    """The admin deleting an expert (their assignments and reviews go with them)."""
    User.objects.filter(pk=w["experts"][i % len(w["experts"])].pk).delete()


def redate(w, i):
    work = _work(w, i)
    if work.submitted_at:
        work_redate_submission(work, timezone.now() - datetime.timedelta(days=i % 5))


ACTIONS = [create, submit, withdraw, unit_decision, city_decision, later_state, solve, review,
           forbid, add, remove_member, conflict, delete_draft, redate, delete_expert]  # fmt: skip


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 300)), max_size=30))
def test_kept_figures_equal_a_recount_after_any_sequence(world, steps):
    edition = world["edition"]
    assert differences(edition.pk) == []
    with transaction.atomic():
        for action, i in steps:
            try:
                with transaction.atomic():
                    action(world, i)
                event(f"done: {action.__name__}")
            except (DomainError, PermissionDenied, ProtectedError, User.DoesNotExist):
                pass  # not possible in this state: nothing changed
        assert differences(edition.pk) == [], [a.__name__ for a, _i in steps]
        transaction.set_rollback(True)


def test_rebuild_counts_restores_figures_written_around_the_services(world):
    edition = world["edition"]
    WorkCount.objects.filter(edition=edition).update(n=0)
    JuryCount.objects.all().delete()
    Work.objects.filter(edition=edition, state=WorkState.DRAFT).update(state=WorkState.WITHDRAWN)
    assert differences(edition.pk)
    with pytest.raises(Exception, match="differ"):
        call_command("rebuild_counts", "--check")
    call_command("rebuild_counts")
    assert differences(edition.pk) == []
    call_command("rebuild_counts", "--check")


def test_a_school_merge_moves_the_schools_figures(world):
    from gongchuang.accounts.schools import school_merge

    edition, units = world["edition"], world["units"]
    school_merge(
        actor=world["roles"]["committee"],
        source=units["hd_school2"],
        target=units["hd_school"],
        reason="同一所学校",
    )
    assert differences(edition.pk) == []


def test_the_page_offers_long_tables_as_downloads_only(client, world, monkeypatch):
    from django.urls import reverse

    from gongchuang.reports import results, selectors

    judging.jury_solve(jury=world["jury"], actor=world["roles"]["committee"])
    client.force_login(world["roles"]["committee"])
    page = client.get(reverse("reports:dashboard"))
    assert page.context["data"].table("matrix").rows
    assert page.context["data"].table("review_experts").rows
    assert "download the table" not in page.content.decode()
    for module in (results.review, selectors):  # where the tables read INLINE_ROWS
        monkeypatch.setattr(module, "INLINE_ROWS", 1)
    page = client.get(reverse("reports:dashboard"))
    data = page.context["data"]
    assert data.table("matrix").rows == [] and data.table("matrix").rows_elsewhere
    assert data.table("review_experts").rows_elsewhere
    assert "请下载表格查看" in page.content.decode()
    # The download holds every row.
    sheet = client.get(reverse("reports:table_xlsx", args=["matrix"]))
    assert sheet.status_code == 200
