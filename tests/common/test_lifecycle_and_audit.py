"""The shared transition mechanism, the one-work rule in the database, and the audit history."""

import pytest
from django.db import IntegrityError, transaction

from gongchuang.common.errors import DomainError
from gongchuang.common.models import AppendOnlyError, AuditEvent
from gongchuang.submissions.enums import WORK_TRANSITIONS, AuthorRole, WorkState
from gongchuang.submissions.models import Authorship, Work
from gongchuang.submissions.services import transition_work

ALL_STATES = list(WorkState.values)


def make_work(edition, student, category_code="ai_art", title="我的作品"):
    profile = student.student_profile
    work = Work.objects.create(
        edition=edition, category=edition.categories.get(code=category_code), title=title,
        level=profile.level, unit=profile.unit, school=profile.school, created_by=student,
    )
    Authorship.objects.create(
        work=work, edition=edition, user=student, role=AuthorRole.AUTHOR, identity_key=profile.identity_key
    )
    return work


def force_state(work, state):
    Work.objects.filter(pk=work.pk).update(state=state)
    work.refresh_from_db()
    return work


@pytest.mark.parametrize("source", ALL_STATES)
@pytest.mark.parametrize("target", ALL_STATES)
def test_every_transition_pair_is_allowed_exactly_as_the_table_says(edition, roles, source, target):
    work = force_state(make_work(edition, roles["student"]), source)
    if WORK_TRANSITIONS.allows(source, target):
        assert transition_work(work, target, actor=roles["committee"], reason="r").state == target
    else:
        with pytest.raises(DomainError):
            transition_work(work, target, actor=roles["committee"], reason="r")
        work.refresh_from_db()
        assert work.state == source


def test_withdrawal_is_possible_only_before_qualified():
    before = {
        WorkState.DRAFT, WorkState.AWAITING_SCHOOL, WorkState.SCHOOL_RETURNED,
        WorkState.SUBMITTED, WorkState.RETURNED, WorkState.RECOMMENDED,
    }  # fmt: skip
    assert {s for s in ALL_STATES if WORK_TRANSITIONS.allows(s, WorkState.WITHDRAWN)} == before


def test_transition_records_who_when_from_to_why(edition, roles):
    work = make_work(edition, roles["student"])
    transition_work(work, WorkState.SUBMITTED, actor=roles["student"])
    work = transition_work(work, WorkState.RETURNED, actor=roles["organizer"], reason="缺少创作说明")
    event = AuditEvent.objects.for_object(work).filter(action="work.transition").first()
    assert (event.actor, event.before, event.after, event.reason) == (
        roles["organizer"], {"state": "submitted"}, {"state": "returned"}, "缺少创作说明"
    )
    assert work.state_reason == "缺少创作说明"


def test_first_submission_assigns_an_edition_unique_code(edition, roles):
    first = transition_work(make_work(edition, roles["student"]), WorkState.SUBMITTED, actor=roles["student"])
    second = transition_work(make_work(edition, roles["student_b"]), WorkState.SUBMITTED, actor=roles["student_b"])
    assert first.code == "2026-ART-HD-0001"
    assert second.code == "2026-ART-CY-0001"


def test_second_submission_of_the_same_student_is_refused_in_chinese(edition, roles):
    transition_work(make_work(edition, roles["student"]), WorkState.SUBMITTED, actor=roles["student"])
    other = make_work(edition, roles["student"], category_code="ai_agent", title="第二件")
    with pytest.raises(DomainError) as info:
        transition_work(other, WorkState.SUBMITTED, actor=roles["student"])
    assert "每名学生每届只能提交一个作品" in str(info.value.message)
    other.refresh_from_db()
    assert (other.state, other.code) == (WorkState.DRAFT, "")


def test_withdrawing_frees_the_student_for_another_work(edition, roles):
    first = transition_work(make_work(edition, roles["student"]), WorkState.SUBMITTED, actor=roles["student"])
    transition_work(first, WorkState.WITHDRAWN, actor=roles["student"], reason="换一个作品")
    other = make_work(edition, roles["student"], category_code="ai_agent")
    assert transition_work(other, WorkState.SUBMITTED, actor=roles["student"]).state == WorkState.SUBMITTED


def test_database_refuses_two_slots_for_one_identity(edition, roles):
    a, b = make_work(edition, roles["student"]), make_work(edition, roles["student"], title="另一件")
    Authorship.objects.filter(work=a).update(holds_slot=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Authorship.objects.filter(work=b).update(holds_slot=True)


def test_audit_events_cannot_be_changed_or_deleted_through_the_orm(edition, roles):
    work = transition_work(make_work(edition, roles["student"]), WorkState.SUBMITTED, actor=roles["student"])
    event = AuditEvent.objects.for_object(work).first()
    event.reason = "篡改"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_state_is_assigned_only_by_the_transition_service():
    """STYLE.md: nothing but apply_transition assigns a work's state (grep-based guard)."""
    import pathlib
    import re

    offenders = []
    for path in pathlib.Path("src").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"\b\w*work\w*\.state\s*=[^=]", text):
            offenders.append(f"{path}:{text[: match.start()].count(chr(10)) + 1}")
    assert offenders == []
