import datetime

import pytest
from django.utils import timezone

from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.editions.enums import Step
from gongchuang.submissions import services
from gongchuang.submissions.enums import AuthorRole, WorkState
from gongchuang.submissions.models import Authorship, Work
from tests.factories import people

from .helpers import ART_FIELDS, art_draft, category, complete_art_work

pytestmark = pytest.mark.django_db


def close_submission(edition):
    window = edition.windows.get(step=Step.SUBMISSION)
    window.closes_at = timezone.now() - datetime.timedelta(seconds=1)
    window.save()


def test_work_create_makes_a_draft_with_creator_as_accepted_author(edition, roles):
    work = art_draft(edition, roles["student"])
    assert work.state == WorkState.DRAFT
    assert work.level == "junior"
    assert work.unit.code == "HD"
    (authorship,) = work.authorships.all()
    assert authorship.user == roles["student"]
    assert authorship.accepted_at is not None
    assert authorship.identity_key == roles["student"].student_profile.identity_key
    assert authorship.holds_slot is False
    assert AuditEvent.objects.for_object(work).filter(action="work.create").count() == 1


def test_work_create_refused_for_level_not_eligible(edition, roles):
    art = category(edition, "ai_art")
    art.eligible_levels = ["senior", "university"]
    art.save()
    with pytest.raises(DomainError) as exc:
        art_draft(edition, roles["student"])
    assert exc.value.code == "level_not_eligible"
    assert "学段" in str(exc.value)


def test_work_create_teaching_case_refused_for_student(edition, roles):
    with pytest.raises(DomainError) as exc:
        services.work_create(
            actor=roles["student"],
            edition=edition,
            category=category(edition, "teaching_case"),
            title="案例",
        )
    assert exc.value.code == "not_teacher"


def test_work_create_refused_when_window_closed(edition, roles):
    close_submission(edition)
    with pytest.raises(DomainError) as exc:
        art_draft(edition, roles["student"])
    assert exc.value.code == "window_closed"


def test_abstract_longer_than_500_refused(edition, roles):
    with pytest.raises(DomainError) as exc:
        art_draft(edition, roles["student"], abstract="字" * 501)
    assert exc.value.code == "abstract_too_long"
    assert art_draft(edition, roles["student"], abstract="字" * 500).abstract == "字" * 500


def test_submit_complete_work_assigns_code_and_claims_slot(edition, roles):
    work = complete_art_work(edition, roles["student"])
    work = services.work_submit(work=work, actor=roles["student"])
    assert work.state == WorkState.SUBMITTED
    assert work.code == "2026-ART-HD-0001"
    assert work.submitted_at is not None
    assert Authorship.objects.get(work=work).holds_slot is True


def test_submit_incomplete_work_lists_what_is_missing(edition, roles):
    work = art_draft(edition, roles["student"], ai_tools="", originality_pledge=False)
    with pytest.raises(DomainError) as exc:
        services.work_submit(work=work, actor=roles["student"])
    message = str(exc.value)
    assert exc.value.code == "incomplete"
    assert "AI 使用声明" in message
    assert "原创承诺" in message
    assert "作品文件" in message
    assert Work.objects.get(pk=work.pk).state == WorkState.DRAFT


def test_submit_refused_after_deadline_even_with_complete_work(edition, roles):
    work = complete_art_work(edition, roles["student"])
    close_submission(edition)
    with pytest.raises(DomainError) as exc:
        services.work_submit(work=work, actor=roles["student"])
    assert exc.value.code == "window_closed"
    assert Work.objects.get(pk=work.pk).state == WorkState.DRAFT


def test_new_draft_refused_once_a_work_is_submitted(edition, roles):
    student = roles["student"]
    services.work_submit(work=complete_art_work(edition, student), actor=student)
    with pytest.raises(DomainError) as exc:
        services.work_create(
            actor=student, edition=edition, category=category(edition, "ai_agent"), title="第二件"
        )
    assert exc.value.code == "one_work_per_student"
    assert "每名学生每届只能提交一个作品" in str(exc.value)


def test_second_work_of_same_student_refused_in_any_category(edition, roles):
    student = roles["student"]
    first = complete_art_work(edition, student)
    second = complete_art_work(edition, student, title="第二件")
    services.work_submit(work=first, actor=student)
    with pytest.raises(DomainError) as exc:
        services.work_submit(work=second, actor=student)
    assert exc.value.code == "one_work_per_student"
    assert "每名学生" in str(exc.value)
    assert Work.objects.get(pk=second.pk).state == WorkState.DRAFT
    assert Work.objects.get(pk=first.pk).state == WorkState.SUBMITTED


def test_second_account_of_same_student_refused(edition, roles, units):
    original = roles["student"]
    # Same name, birth date and school: the same normalised identity.
    twin = people.student(
        units["hd_school"], real_name="李明", birth_date=original.student_profile.birth_date
    )
    work = complete_art_work(edition, twin)
    services.work_submit(work=complete_art_work(edition, original), actor=original)
    with pytest.raises(DomainError) as exc:
        services.work_submit(work=work, actor=twin)
    assert exc.value.code == "one_work_per_student"


def test_withdraw_releases_slot_so_another_work_can_be_submitted(edition, roles):
    student = roles["student"]
    first = services.work_submit(work=complete_art_work(edition, student), actor=student)
    services.work_withdraw(work=first, actor=student, reason="换一件作品")
    second = services.work_submit(work=complete_art_work(edition, student), actor=student)
    assert second.state == WorkState.SUBMITTED
    assert Work.objects.get(pk=first.pk).state == WorkState.WITHDRAWN


def test_withdraw_refused_after_qualification(edition, roles):
    student = roles["student"]
    work = services.work_submit(work=complete_art_work(edition, student), actor=student)
    for state in (WorkState.RECOMMENDED, WorkState.QUALIFIED):
        work = services.transition_work(work, state, actor=roles["committee"])
    with pytest.raises(DomainError) as exc:
        services.work_withdraw(work=work, actor=student)
    assert exc.value.code == "not_withdrawable"


def test_edit_refused_after_submit_and_allowed_when_returned(edition, roles):
    student = roles["student"]
    work = services.work_submit(work=complete_art_work(edition, student), actor=student)
    with pytest.raises(DomainError) as exc:
        services.work_update(work=work, actor=student, title="改名")
    assert exc.value.code == "not_editable"
    services.transition_work(work, WorkState.RETURNED, actor=roles["organizer"], reason="补充说明")
    work = services.work_update(work=work, actor=student, title="改名")
    assert work.title == "改名"
    again = services.work_submit(work=work, actor=student)
    assert again.state == WorkState.SUBMITTED
    assert again.code == "2026-ART-HD-0001"


def test_edit_refused_for_non_author(edition, roles):
    work = art_draft(edition, roles["student"])
    with pytest.raises(DomainError) as exc:
        services.work_update(work=work, actor=roles["student_b"], title="x")
    assert exc.value.code == "not_author"


# --- Team --------------------------------------------------------------------


def agent_draft(edition, student):
    return services.work_create(
        actor=student, edition=edition, category=category(edition, "ai_agent"), **ART_FIELDS
    )


def test_invitation_accept_adds_author_and_decline_removes(edition, roles, units):
    work = agent_draft(edition, roles["student"])
    mate = people.student(units["hd_school"], real_name="王同学")
    other = people.student(units["hd_school"], real_name="赵同学")
    inv = services.invitation_create(
        work=work, actor=roles["student"], username=mate.username, role=AuthorRole.AUTHOR
    )
    inv2 = services.invitation_create(
        work=work, actor=roles["student"], username=other.username, role=AuthorRole.AUTHOR
    )
    assert inv.accepted_at is None
    assert services.invitation_respond(authorship=inv, actor=mate, accept=True).accepted_at
    assert services.invitation_respond(authorship=inv2, actor=other, accept=False) is None
    assert sorted(a.user.real_name for a in work.authorships.all()) == ["李明", "王同学"]


def test_invite_beyond_max_authors_refused(edition, roles, units):
    work = agent_draft(edition, roles["student"])  # ai_agent: at most 3 authors
    for n in range(2):
        mate = people.student(units["hd_school"], real_name=f"同学{n}")
        services.invitation_create(
            work=work, actor=roles["student"], username=mate.username, role="author"
        )
    fourth = people.student(units["hd_school"], real_name="同学4")
    with pytest.raises(DomainError) as exc:
        services.invitation_create(
            work=work, actor=roles["student"], username=fourth.username, role="author"
        )
    assert exc.value.code == "team_full"


def test_advisor_must_be_teacher_and_limited(edition, roles, units):
    work = agent_draft(edition, roles["student"])
    with pytest.raises(DomainError) as exc:
        services.invitation_create(
            work=work, actor=roles["student"], username=roles["student_b"].username, role="advisor"
        )
    assert exc.value.code == "not_teacher"
    services.invitation_create(
        work=work, actor=roles["student"], username=roles["teacher"].username, role="advisor"
    )
    services.invitation_create(
        work=work,
        actor=roles["student"],
        username=people.teacher(units["hd_school"]).username,
        role="advisor",
    )
    with pytest.raises(DomainError) as exc:
        services.invitation_create(
            work=work,
            actor=roles["student"],
            username=people.teacher(units["hd_school"]).username,
            role="advisor",
        )
    assert exc.value.code == "team_full"


def test_pending_invitation_blocks_submit(edition, roles, units):
    student = roles["student"]
    work = complete_art_work(edition, student)
    services.invitation_create(
        work=work, actor=student, username=roles["teacher"].username, role="advisor"
    )
    with pytest.raises(DomainError) as exc:
        services.work_submit(work=work, actor=student)
    assert "邀请" in str(exc.value)


def test_team_member_with_submitted_work_blocks_team_submit(edition, roles, units):
    mate = people.student(units["hd_school"], real_name="王同学")
    work = agent_draft(edition, roles["student"])
    inv = services.invitation_create(
        work=work, actor=roles["student"], username=mate.username, role="author"
    )
    services.invitation_respond(authorship=inv, actor=mate, accept=True)
    services.work_submit(work=complete_art_work(edition, mate), actor=mate)
    import io

    from .helpers import mp4_bytes, pdf_bytes

    for slot, name, data in (
        ("description", "d.pdf", pdf_bytes()),
        ("demo_video", "v.mp4", mp4_bytes()),
        ("design_doc", "x.pdf", pdf_bytes()),
    ):
        services.workfile_store(
            work=work, slot=slot, fileobj=io.BytesIO(data), name=name, actor=roles["student"]
        )
    with pytest.raises(DomainError) as exc:
        services.work_submit(work=work, actor=roles["student"])
    assert exc.value.code == "one_work_per_student"


def test_teaching_case_at_most_two_authors(edition, roles, units):
    teacher = roles["teacher"]
    case = services.work_create(
        actor=teacher,
        edition=edition,
        category=category(edition, "teaching_case"),
        title="AI 教学案例",
    )
    assert case.level == ""
    services.invitation_create(
        work=case,
        actor=teacher,
        username=people.teacher(units["hd_school"]).username,
        role="author",
    )
    with pytest.raises(DomainError) as exc:
        services.invitation_create(
            work=case,
            actor=teacher,
            username=people.teacher(units["hd_school"]).username,
            role="author",
        )
    assert exc.value.code == "team_full"
    with pytest.raises(DomainError) as exc:
        services.invitation_create(
            work=case, actor=teacher, username=roles["student"].username, role="author"
        )
    assert exc.value.code == "not_teacher"


def test_only_creator_manages_team(edition, roles, units):
    mate = people.student(units["hd_school"], real_name="王同学")
    work = agent_draft(edition, roles["student"])
    inv = services.invitation_create(
        work=work, actor=roles["student"], username=mate.username, role="author"
    )
    services.invitation_respond(authorship=inv, actor=mate, accept=True)
    with pytest.raises(DomainError) as exc:
        services.invitation_create(
            work=work, actor=mate, username=roles["teacher"].username, role="advisor"
        )
    assert exc.value.code == "not_creator"
    services.member_remove(authorship=inv, actor=roles["student"])
    assert list(work.authorships.values_list("user__username", flat=True)) == [
        roles["student"].username
    ]


def test_teaching_case_submitted_with_its_materials(edition, roles):
    import io

    from .helpers import mp4_bytes, pdf_bytes

    teacher = roles["teacher"]
    case = services.work_create(
        actor=teacher, edition=edition, category=category(edition, "teaching_case"), **ART_FIELDS
    )
    for slot, name, data in (
        ("teaching_design", "设计.pdf", pdf_bytes()),
        ("courseware", "课件.pdf", pdf_bytes()),
        ("class_video", "课堂.mp4", mp4_bytes()),
    ):
        services.workfile_store(
            work=case, slot=slot, fileobj=io.BytesIO(data), name=name, actor=teacher
        )
    case = services.work_submit(work=case, actor=teacher)
    assert (case.state, case.code) == (WorkState.SUBMITTED, "2026-TCH-HD-0001")
    # Teachers hold no one-work slot: a teacher may also advise students.
    assert not Authorship.objects.filter(work=case, holds_slot=True).exists()


@pytest.mark.django_db(transaction=True)
def test_refusals_work_in_autocommit_mode_outside_any_test_transaction(edition, roles):
    """Services run in autocommit in production: no lock may be taken outside a transaction."""
    import io

    from .helpers import png_bytes

    student = roles["student"]
    work = art_draft(edition, student)
    close_submission(edition)
    for call in (
        lambda: services.workfile_store(
            work=work, slot="artwork", fileobj=io.BytesIO(png_bytes()), name="a.png", actor=student
        ),
        lambda: services.work_update(work=work, actor=student, title="x"),
        lambda: services.work_submit(work=work, actor=student),
    ):
        with pytest.raises(DomainError) as exc:
            call()
        assert exc.value.code == "window_closed"
