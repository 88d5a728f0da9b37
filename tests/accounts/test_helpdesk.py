"""Help from the level above: who reaches whom, and the three kinds of help, audited."""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from gongchuang.accounts import helpdesk
from gongchuang.accounts.enums import Role
from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from tests.factories import people

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


@pytest.fixture
def world(roles, units):
    """``roles`` (HD school: student, teacher, coordinator; HD and CY organisers) plus a
    CY student and teacher, a second HD school's teacher and coordinator, and a second
    committee member."""
    extra = {
        "cy_teacher": people.teacher(units["cy_school"], username="tea_cy"),
        "hd2_teacher": people.teacher(units["hd_school2"], username="tea_hd2"),
        "hd2_coordinator": people.staff(
            Role.SCHOOL_COORDINATOR,
            username="coord_hd2",
            unit=units["hd"],
            school=units["hd_school2"],
        ),
        "committee2": people.staff(Role.COMMITTEE, username="committee2"),
        "hd2_student": people.student(units["hd_school2"], username="stu_hd2"),
    }
    return {**roles, **extra}


def reach(user) -> set[str]:
    return set(helpdesk.people_in_reach(user).values_list("username", flat=True))


def test_a_coordinator_reaches_the_students_and_teachers_of_their_school_only(world):
    assert reach(world["coordinator"]) == {"student_a", "teacher_a"}


def test_an_organiser_reaches_coordinators_and_teachers_of_its_schools_not_students(world):
    assert reach(world["organizer"]) == {"teacher_a", "tea_hd2", "coord_a", "coord_hd2"}
    assert reach(world["organizer_cy"]) == {"tea_cy"}


def test_the_committee_reaches_everyone_but_committee_members(world):
    reached = reach(world["committee2"])
    assert {"student_a", "student_b", "coord_a", "org_hd", "expert_a", "tea_cy"} <= reached
    assert "committee" not in reached  # a committee member (and a superuser)
    assert "committee2" not in reached  # oneself


def test_students_teachers_and_experts_reach_nobody(world):
    for name in ("student", "teacher", "expert"):
        assert reach(world[name]) == set()


def _lock(user):
    for name in (user.username, user.email):
        AccessAttempt.objects.create(
            username=name,
            ip_address="10.0.0.9",
            user_agent="x",
            http_accept="*/*",
            path_info=LOGIN,
            get_data="",
            post_data="",
            failures_since_start=settings.AXES_FAILURE_LIMIT,
        )


def test_unlock_lifts_the_lockout_and_is_audited(world):
    student = world["student"]
    _lock(student)
    assert helpdesk.is_locked(student)

    helpdesk.account_unlock(actor=world["coordinator"], person=student)

    assert not helpdesk.is_locked(student)
    event = AuditEvent.objects.get(action="account.help_unlock")
    assert event.actor == world["coordinator"] and event.object_id == str(student.pk)


def test_help_outside_the_reach_is_refused_and_changes_nothing(world):
    student = world["hd2_student"]
    _lock(student)
    with pytest.raises(DomainError) as refused:
        helpdesk.account_unlock(actor=world["coordinator"], person=student)
    assert refused.value.code == "forbidden"
    with pytest.raises(DomainError):
        helpdesk.one_time_password_give(actor=world["organizer"], person=world["student"])
    assert helpdesk.is_locked(student)
    assert world["student"].check_password(people.PASSWORD)
    assert not AuditEvent.objects.filter(action__startswith="account.help_").exists()


def test_a_one_time_password_works_once_must_be_changed_and_is_never_recorded(world, client):
    teacher = world["teacher"]
    _lock(teacher)

    password = helpdesk.one_time_password_give(actor=world["organizer"], person=teacher)

    teacher.refresh_from_db()
    assert teacher.check_password(password) and not teacher.check_password(people.PASSWORD)
    assert teacher.must_change_password
    assert not helpdesk.is_locked(teacher)  # read out to be used at once
    event = AuditEvent.objects.get(action="account.help_one_time_password")
    assert password not in str(event.before) + str(event.after) + event.reason
    answer = client.post(LOGIN, {"username": teacher.username, "password": password})
    assert answer.status_code == 302
    assert client.get("/accounts/dashboard/").status_code == 302  # sent to change it first


def test_a_reset_link_goes_to_the_persons_own_address(
    world, mailoutbox, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        helpdesk.reset_link_send(actor=world["coordinator"], person=world["student"])

    assert [m.to for m in mailoutbox] == [[world["student"].email]]
    assert "重设密码" in mailoutbox[0].subject + mailoutbox[0].body
    link = re.search(r"/accounts/invitation/[\w-]+/", mailoutbox[0].body).group(0)
    assert "设置新密码" in client.get(link).content.decode()
    assert AuditEvent.objects.filter(action="account.help_reset_link").count() == 1


def test_a_reset_link_needs_an_address_or_number(world):
    student = world["student"]
    student.email = ""
    student.save(update_fields=["email"])
    with pytest.raises(DomainError) as refused:
        helpdesk.reset_link_send(actor=world["coordinator"], person=student)
    assert refused.value.code == "no_channel"


def test_a_disabled_account_is_not_helped(world):
    teacher = world["teacher"]
    teacher.is_active = False
    teacher.save(update_fields=["is_active"])
    with pytest.raises(DomainError) as refused:
        helpdesk.one_time_password_give(actor=world["coordinator"], person=teacher)
    assert refused.value.code == "inactive"


# --- The page -----------------------------------------------------------------------------


def test_the_page_lists_the_reach_with_lock_state_and_masked_guardian_phone(world, client):
    _lock(world["student"])
    profile = world["student"].student_profile
    profile.guardian_phone = "13900000000"
    profile.save(update_fields=["guardian_phone"])
    client.force_login(world["coordinator"])
    page = client.get(reverse("accounts:people")).content.decode()
    assert "student_a" in page and "teacher_a" in page and "stu_hd2" not in page
    assert "输错密码已锁定" in page
    assert "139****0000" in page and "13900000000" not in page  # the minor's guardian

    found = client.get(reverse("accounts:people"), {"q": "teacher_a"}).content.decode()
    assert "teacher_a" in found and "student_a" not in found


def test_the_one_time_password_is_shown_once_and_not_cached(world, client):
    client.force_login(world["coordinator"])
    url = reverse("accounts:person_one_time_password", args=[world["student"].pk])
    answer = client.post(url)
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"]
    assert "只显示这一次" in answer.content.decode()
    assert client.get(url).status_code == 405


def test_unlock_from_the_page_answers_in_chinese(world, client):
    _lock(world["student"])
    client.force_login(world["coordinator"])
    answer = client.post(
        reverse("accounts:person_unlock", args=[world["student"].pk]), {"q": "李"}, follow=True
    )
    assert answer.redirect_chain[-1][0].endswith("?q=%E6%9D%8E")
    assert "现在可以重新登录了" in answer.content.decode()


def test_people_outside_the_reach_are_forbidden(world, client):
    client.force_login(world["coordinator"])
    for name in ("hd2_student", "organizer", "committee"):
        url = reverse("accounts:person_one_time_password", args=[world[name].pk])
        assert client.post(url).status_code == 403
