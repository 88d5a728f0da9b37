"""School list services: add, edit, deactivate, merge (accounts.schools)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongchuang.accounts import schools
from gongchuang.accounts.enums import Level, Role, SchoolType
from gongchuang.accounts.forms import StudentRegistrationForm
from gongchuang.accounts.models import Membership, School, StudentProfile, TeacherProfile
from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.judging.models import ConflictDeclaration, ExpertProfile
from gongchuang.submissions.models import Work
from tests.factories import people
from tests.submissions.helpers import art_draft

pytestmark = pytest.mark.django_db


def test_add_school_records_fields_and_audit(roles, units):
    school = schools.school_add(
        actor=roles["organizer"], unit=units["hd"], name="  海淀 新学校 ", code="hd001",
        school_type=SchoolType.NINE_YEAR, levels=[Level.JUNIOR, Level.PRIMARY],
    )  # fmt: skip
    assert (school.name, school.code, school.levels, school.is_active) == (
        "海淀 新学校", "HD001", ["primary", "junior"], True,
    )  # fmt: skip
    event = AuditEvent.objects.get(action="school.add")
    assert event.object_id == str(school.pk)
    assert event.after["code"] == "HD001" and event.after["school_type"] == "nine_year"


def test_duplicate_name_in_the_unit_is_refused_in_chinese(roles, units):
    with pytest.raises(DomainError) as exc:
        schools.school_add(actor=roles["organizer"], unit=units["hd"], name="海淀测试中学")
    assert str(exc.value) == "海淀区已有名为“海淀测试中学”的学校。"


def test_same_name_in_another_unit_is_allowed(roles, units):
    school = schools.school_add(actor=roles["committee"], unit=units["cy"], name="海淀测试中学")
    assert school.unit == units["cy"]


def test_duplicate_code_is_refused_but_blank_codes_repeat(roles, units):
    schools.school_update(
        actor=roles["organizer"], school=units["hd_school"], name="海淀测试中学", code="A1"
    )
    with pytest.raises(DomainError) as exc:
        schools.school_add(actor=roles["organizer"], unit=units["hd"], name="另一所", code="a1")
    assert exc.value.code == "code_taken"
    assert "已有学校代码为 A1 的学校" in str(exc.value)
    schools.school_add(actor=roles["organizer"], unit=units["hd"], name="无代码一", code="")
    schools.school_add(actor=roles["organizer"], unit=units["hd"], name="无代码二", code="")
    assert School.objects.filter(unit=units["hd"], code="").count() >= 2


def test_organiser_cannot_touch_another_districts_school(roles, units):
    with pytest.raises(DomainError) as exc:
        schools.school_add(actor=roles["organizer_cy"], unit=units["hd"], name="越权学校")
    assert exc.value.code == "forbidden"
    with pytest.raises(DomainError):
        schools.school_deactivate(actor=roles["organizer_cy"], school=units["hd_school"])
    assert School.objects.get(pk=units["hd_school"].pk).is_active is True
    assert not AuditEvent.objects.filter(action__startswith="school.").exists()


def test_update_audits_only_the_changed_fields(roles, units):
    school = units["hd_school2"]
    schools.school_update(
        actor=roles["organizer"], school=school, name="海淀测试小学（本部）", levels=["primary"],
        school_type=SchoolType.PRIMARY,
    )  # fmt: skip
    event = AuditEvent.objects.get(action="school.update")
    assert event.before == {"name": "海淀测试小学", "school_type": "", "levels": []}
    assert event.after == {
        "name": "海淀测试小学（本部）", "school_type": "primary", "levels": ["primary"],
    }  # fmt: skip
    schools.school_update(
        actor=roles["organizer"], school=school, name="海淀测试小学（本部）", levels=["primary"],
        school_type=SchoolType.PRIMARY,
    )  # fmt: skip
    assert AuditEvent.objects.filter(action="school.update").count() == 1


def test_deactivated_school_is_not_offered_at_registration(client, roles, units):
    school = units["hd_school2"]
    schools.school_deactivate(actor=roles["organizer"], school=school, reason="撤并")
    assert school.pk not in StudentRegistrationForm().fields["school"].queryset.values_list(
        "pk", flat=True
    )
    body = client.get(f"/accounts/schools/options/?unit={units['hd'].pk}").content.decode()
    assert "海淀测试中学" in body and "海淀测试小学" not in body
    event = AuditEvent.objects.get(action="school.deactivate")
    assert (event.before, event.after, event.reason) == (
        {"is_active": True}, {"is_active": False}, "撤并",
    )  # fmt: skip
    schools.school_reactivate(actor=roles["organizer"], school=school)
    assert (
        "海淀测试小学"
        in client.get(f"/accounts/schools/options/?unit={units['hd'].pk}").content.decode()
    )


def test_registration_with_a_deactivated_school_is_refused(client, units, roles):
    schools.school_deactivate(actor=roles["committee"], school=units["hd_school2"])
    form = StudentRegistrationForm(data={"unit": units["hd"].pk, "school": units["hd_school2"].pk})
    assert not form.is_valid()
    assert "school" in form.errors


def test_merge_moves_people_works_and_expert_rows_and_deletes_the_source(edition, roles, units):
    source, target = units["hd_school2"], units["hd_school"]
    student = people.student(source, username="merge_stu")
    teacher = people.teacher(source, username="merge_tea")
    coordinator = people.staff(Role.SCHOOL_COORDINATOR, unit=units["hd"], school=source)
    # Coordinator of both: the membership at the source would double the one at the target.
    Membership.objects.create(
        user=roles["coordinator"], role=Role.SCHOOL_COORDINATOR, unit=units["hd"], school=source
    )
    work = art_draft(edition, student)
    expert = roles["expert"]
    ExpertProfile.objects.create(user=expert, school=source)
    ConflictDeclaration.objects.create(expert=expert, school=source, reason="曾任教")
    schools.school_update(
        actor=roles["organizer"], school=source, name=source.name, levels=["primary"]
    )

    moved = schools.school_merge(
        actor=roles["organizer"], source=source, target=target, reason="重复录入"
    )

    assert not School.objects.filter(pk=source.pk).exists()
    assert StudentProfile.objects.get(user=student).school == target
    assert TeacherProfile.objects.get(user=teacher).school == target
    assert Work.objects.get(pk=work.pk).school == target
    assert ExpertProfile.objects.get(user=expert).school == target
    assert ConflictDeclaration.objects.get(expert=expert).school == target
    members = Membership.objects.filter(school=target).values_list("user__username", flat=True)
    assert set(members) >= {
        "merge_stu", "merge_tea", coordinator.username, roles["coordinator"].username,
    }  # fmt: skip
    assert Membership.objects.filter(user=roles["coordinator"], school=target).count() == 1
    assert moved == {
        "accounts.membership": 4, "accounts.studentprofile": 1, "accounts.teacherprofile": 1,
        "submissions.work": 1, "judging.expertprofile": 1, "judging.conflictdeclaration": 1,
    }  # fmt: skip
    assert School.objects.get(pk=target.pk).levels == ["primary"]
    event = AuditEvent.objects.get(action="school.merge")
    assert event.object_id == str(target.pk) and event.reason == "重复录入"
    assert event.before["merged_school"]["name"] == "海淀测试小学"
    assert event.after["moved"] == moved


def test_merge_across_units_or_into_itself_is_refused(roles, units):
    with pytest.raises(DomainError) as exc:
        schools.school_merge(
            actor=roles["committee"], source=units["hd_school"], target=units["cy_school"]
        )
    assert str(exc.value) == "只能合并同一区或高校的学校。"
    with pytest.raises(DomainError):
        schools.school_merge(
            actor=roles["committee"], source=units["hd_school"], target=units["hd_school"]
        )
    assert School.objects.filter(pk=units["hd_school"].pk).exists()


def test_merge_into_a_deactivated_school_is_refused(roles, units):
    schools.school_deactivate(actor=roles["organizer"], school=units["hd_school"])
    with pytest.raises(DomainError) as exc:
        schools.school_merge(
            actor=roles["organizer"], source=units["hd_school2"], target=units["hd_school"]
        )
    assert exc.value.code == "merge_inactive"


def test_organiser_of_another_district_cannot_merge(roles, units):
    with pytest.raises(DomainError) as exc:
        schools.school_merge(
            actor=roles["organizer_cy"], source=units["hd_school2"], target=units["hd_school"]
        )
    assert exc.value.code == "forbidden"
    assert School.objects.filter(pk=units["hd_school2"].pk).exists()


def test_selector_scopes_organisers_to_their_units(roles, units):
    hd = {s.name for s in schools.schools_for_admin(roles["organizer"])}
    assert "朝阳测试中学" not in hd and {"海淀测试中学", "海淀测试小学"} <= hd
    every = {s.name for s in schools.schools_for_admin(roles["committee"])}
    assert {"朝阳测试中学", "海淀测试中学"} <= every
    assert not schools.schools_for_admin(roles["teacher"]).exists()


def test_school_references_counts_every_row(edition, roles, units):
    people.student(units["hd_school2"])
    refs = schools.school_references(units["hd_school2"])
    assert refs["accounts.studentprofile"][1] == 1
    assert refs["accounts.membership"][1] == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_merge_on_postgres_locks_both_schools(edition, roles, units):
    source, target = units["hd_school2"], units["hd_school"]
    student = people.student(source, username="pg_merge")
    with CaptureQueriesContext(connection) as queries:
        schools.school_merge(actor=roles["organizer"], source=source, target=target)
    locks = [
        q["sql"] for q in queries if "FOR UPDATE" in q["sql"] and "accounts_school" in q["sql"]
    ]
    assert len(locks) == 2
    assert StudentProfile.objects.get(user=student).school == target
    assert AuditEvent.objects.filter(action="school.merge").count() == 1
