"""School confirmation (学校确认): the submission flow with the option on and off, the
coordinator's confirm / return / bulk confirm, the unit's view and the schools' progress."""

import pytest
from django.core import mail

from gongchuang.accounts.enums import Role
from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.notifications.models import Notification
from gongchuang.screening import school_selectors, selectors, services
from gongchuang.screening.enums import Decision, Stage
from gongchuang.screening.models import Review
from gongchuang.screening.school import school_confirm, school_confirm_bulk, school_return
from gongchuang.submissions import services as submissions
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from gongchuang.submissions.selectors import works_visible_to
from tests.factories import people
from tests.submissions.helpers import complete_art_work

from . import factories
from .school_helpers import close_window, turn_on

pytestmark = pytest.mark.django_db


def _submit(edition, student):
    return submissions.work_submit(work=complete_art_work(edition, student), actor=student)


def _waiting(edition, units, n=1, school="hd_school"):
    """``n`` works of ``school`` submitted with the option on (awaiting their school)."""
    return [
        factories.work(edition, unit=units["hd"], school=units[school], submit=False)
        for _ in range(n)
    ]


def _awaiting(works, actor):
    return [submissions.transition_work(w, WorkState.AWAITING_SCHOOL, actor=actor) for w in works]


# --- the option off: today's flow -------------------------------------------------------


def test_option_off_submission_goes_straight_to_the_unit(edition, roles):
    work = _submit(edition, roles["student"])
    assert work.state == WorkState.SUBMITTED
    assert work.code.startswith("2026-ART-HD-")
    queue = selectors.unit_queue(roles["organizer"], edition=edition)
    assert list(queue.values_list("pk", flat=True)) == [work.pk]
    assert not edition.school_confirmation


def test_option_off_returned_work_resubmits_to_the_unit(edition, roles):
    work = _submit(edition, roles["student"])
    services.work_return(work=work, actor=roles["organizer"], reason="补充材料")
    again = submissions.work_submit(work=Work.objects.get(pk=work.pk), actor=roles["student"])
    assert again.state == WorkState.SUBMITTED


# --- the option on ----------------------------------------------------------------------


def test_option_on_submission_waits_for_the_school_with_its_code(
    edition, roles, django_capture_on_commit_callbacks
):
    turn_on(edition, roles["committee"])
    with django_capture_on_commit_callbacks(execute=True):
        work = _submit(edition, roles["student"])
    assert work.state == WorkState.AWAITING_SCHOOL
    assert work.code.startswith("2026-ART-HD-")
    assert work.submitted_at is not None
    assert list(selectors.unit_queue(roles["organizer"], edition=edition)) == []
    assert not works_visible_to(roles["organizer"]).filter(pk=work.pk).exists()
    coordinator_queue = school_selectors.school_queue(roles["coordinator"], edition=edition)
    assert list(coordinator_queue.values_list("pk", flat=True)) == [work.pk]
    assert Notification.objects.get(recipient=roles["student"]).kind == "work.awaiting_school"


def test_confirm_sends_the_work_to_the_unit_audited_and_recorded(
    edition, roles, django_capture_on_commit_callbacks
):
    turn_on(edition, roles["committee"])
    with django_capture_on_commit_callbacks(execute=True):
        work = _submit(edition, roles["student"])
        confirmed = school_confirm(work=work, actor=roles["coordinator"])
    assert confirmed.state == WorkState.SUBMITTED
    queue = selectors.unit_queue(roles["organizer"], edition=edition)
    assert list(queue.values_list("pk", flat=True)) == [work.pk]
    review = Review.objects.get(work=work)
    assert (review.stage, review.decision, review.reviewer) == (
        Stage.SCHOOL,
        Decision.CONFIRM,
        roles["coordinator"],
    )
    event = AuditEvent.objects.filter(action="work.transition").order_by("-id").first()
    assert (event.before, event.after, event.actor_id) == (
        {"state": "awaiting_school"},
        {"state": "submitted"},
        roles["coordinator"].pk,
    )
    kinds = set(
        Notification.objects.filter(recipient=roles["student"]).values_list("kind", flat=True)
    )
    assert kinds == {"work.awaiting_school", "work.school_confirmed"}


def test_return_needs_a_reason_then_goes_back_to_the_author_with_email(
    edition, roles, django_capture_on_commit_callbacks
):
    turn_on(edition, roles["committee"])
    work = _submit(edition, roles["student"])
    with pytest.raises(DomainError) as refused:
        school_return(work=work, actor=roles["coordinator"], reason="  ")
    assert refused.value.code == "reason_required"
    assert Work.objects.get(pk=work.pk).state == WorkState.AWAITING_SCHOOL
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        returned = school_return(work=work, actor=roles["coordinator"], reason="请补充创作过程记录")
    assert (returned.state, returned.state_reason) == (
        WorkState.SCHOOL_RETURNED,
        "请补充创作过程记录",
    )
    note = Notification.objects.get(recipient=roles["student"], kind="work.school_returned")
    assert "请补充创作过程记录" in note.body
    assert any("请补充创作过程记录" in m.body for m in mail.outbox)
    # Resubmitted, it comes back to the school.
    again = submissions.work_submit(work=Work.objects.get(pk=work.pk), actor=roles["student"])
    assert again.state == WorkState.AWAITING_SCHOOL


def test_coordinator_of_another_school_and_organizer_are_refused(edition, roles, units):
    turn_on(edition, roles["committee"])
    work = _submit(edition, roles["student"])
    other = people.staff(Role.SCHOOL_COORDINATOR, unit=units["hd"], school=units["hd_school2"])
    for actor in (other, roles["organizer"], roles["student"]):
        with pytest.raises(DomainError) as refused:
            school_confirm(work=work, actor=actor)
        assert refused.value.code == "forbidden"
        assert refused.value.message == "只能确认本校的作品。"
    assert Work.objects.get(pk=work.pk).state == WorkState.AWAITING_SCHOOL


def test_closed_window_refuses_confirm_and_return_in_chinese(edition, roles):
    turn_on(edition, roles["committee"])
    work = _submit(edition, roles["student"])
    close_window(edition)
    edition.refresh_from_db()
    work = Work.objects.select_related("edition").get(pk=work.pk)
    for act in (
        lambda: school_confirm(work=work, actor=roles["coordinator"]),
        lambda: school_return(work=work, actor=roles["coordinator"], reason="x"),
        lambda: school_confirm_bulk(works=[work], actor=roles["coordinator"], edition=edition),
    ):
        with pytest.raises(DomainError) as refused:
            act()
        assert refused.value.code == "window_closed"
        assert refused.value.message == "学校确认时间窗口未开放，现在不能确认或退回作品。"
    assert Work.objects.get(pk=work.pk).state == WorkState.AWAITING_SCHOOL


def test_second_confirmation_of_the_same_work_is_refused(edition, roles):
    turn_on(edition, roles["committee"])
    work = _submit(edition, roles["student"])
    colleague = people.staff(
        Role.SCHOOL_COORDINATOR, unit=work.unit, school=work.school, real_name="同校协调员"
    )
    school_confirm(work=work, actor=roles["coordinator"])
    with pytest.raises(DomainError) as refused:
        school_confirm(work=work, actor=colleague)
    assert refused.value.code == "already_decided"
    assert Review.objects.filter(work=work).count() == 1


def test_bulk_confirm_skips_works_decided_meanwhile(edition, roles, units):
    turn_on(edition, roles["committee"])
    works = _awaiting(_waiting(edition, units, 3), roles["committee"])
    school_return(work=works[0], actor=roles["coordinator"], reason="重复提交")
    confirmed, skipped = school_confirm_bulk(
        works=works, actor=roles["coordinator"], edition=edition
    )
    assert (confirmed, skipped) == (2, 1)
    states = dict(Work.objects.filter(pk__in=[w.pk for w in works]).values_list("pk", "state"))
    assert states == {
        works[0].pk: WorkState.SCHOOL_RETURNED,
        works[1].pk: WorkState.SUBMITTED,
        works[2].pk: WorkState.SUBMITTED,
    }


def test_bulk_confirm_with_another_schools_work_changes_nothing(edition, roles, units):
    turn_on(edition, roles["committee"])
    own = _awaiting(_waiting(edition, units, 1), roles["committee"])
    foreign = _awaiting(_waiting(edition, units, 1, school="hd_school2"), roles["committee"])
    with pytest.raises(DomainError):
        school_confirm_bulk(works=own + foreign, actor=roles["coordinator"], edition=edition)
    assert set(Work.objects.values_list("state", flat=True)) == {WorkState.AWAITING_SCHOOL}


def test_unit_cannot_decide_on_a_work_still_with_its_school(edition, roles):
    turn_on(edition, roles["committee"])
    work = _submit(edition, roles["student"])
    with pytest.raises(DomainError) as refused:
        services.work_recommend(work=work, actor=roles["organizer"])
    assert refused.value.code == "bad_transition"


def test_author_may_withdraw_while_waiting_for_the_school(edition, roles):
    turn_on(edition, roles["committee"])
    work = _submit(edition, roles["student"])
    withdrawn = submissions.work_withdraw(work=work, actor=roles["student"])
    assert withdrawn.state == WorkState.WITHDRAWN


def test_school_progress_counts_confirmed_waiting_and_returned(edition, roles, units):
    turn_on(edition, roles["committee"])
    works = _awaiting(_waiting(edition, units, 4), roles["committee"])
    _awaiting(_waiting(edition, units, 1, school="hd_school2"), roles["committee"])
    school_confirm(work=works[0], actor=roles["coordinator"])
    school_confirm(work=works[1], actor=roles["coordinator"])
    school_return(work=works[2], actor=roles["coordinator"], reason="补充材料")
    factories.work(edition, unit=units["cy"], school=units["cy_school"])  # another district
    rows = school_selectors.school_progress(edition=edition, unit_ids={units["hd"].pk})
    got = [(r.school.name, r.confirmed, r.waiting, r.returned, r.coordinators) for r in rows]
    assert got == [("海淀测试中学", 2, 1, 1, 1), ("海淀测试小学", 0, 1, 0, 0)]
    # A district return later does not count as the school's: the school did confirm it.
    services.work_return(
        work=Work.objects.get(pk=works[0].pk), actor=roles["organizer"], reason="不符合要求"
    )
    rows = school_selectors.school_progress(edition=edition, unit_ids={units["hd"].pk})
    assert (rows[0].confirmed, rows[0].returned) == (2, 1)


def test_unit_progress_of_the_city_ignores_works_with_their_school(edition, roles, units):
    turn_on(edition, roles["committee"])
    _awaiting(_waiting(edition, units, 2), roles["committee"])
    factories.work(edition, unit=units["hd"], school=units["hd_school"])
    hd = next(r for r in selectors.unit_progress(edition=edition) if r.unit.code == "HD")
    assert (hd.submitted, hd.pending) == (1, 1)


def test_school_returned_work_is_hidden_from_the_unit_and_editable_by_its_author(edition, roles):
    turn_on(edition, roles["committee"])
    work = _submit(edition, roles["student"])
    school_return(work=work, actor=roles["coordinator"], reason="补充材料")
    assert not works_visible_to(roles["organizer"]).filter(pk=work.pk).exists()
    assert list(selectors.unit_queue(roles["organizer"], edition=edition)) == []
    work = Work.objects.get(pk=work.pk)
    assert work.is_editable_state


def test_resubmission_after_the_option_is_turned_off_goes_to_the_unit(edition, roles):
    from gongchuang.editions.services import edition_school_confirmation_update

    turn_on(edition, roles["committee"])
    work = _submit(edition, roles["student"])
    school_return(work=work, actor=roles["coordinator"], reason="补充材料")
    edition_school_confirmation_update(
        edition=edition, actor=roles["committee"], values={"enabled": False, "reason": "结束试点"}
    )
    again = submissions.work_submit(work=Work.objects.get(pk=work.pk), actor=roles["student"])
    assert again.state == WorkState.SUBMITTED
