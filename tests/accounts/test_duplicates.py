"""The committee's list of possible duplicate persons, merge and void (issue 22, item 1)."""

import datetime

import pytest
from django.test import Client

from gongchuang.accounts.duplicate_services import student_merge, student_void
from gongchuang.accounts.duplicates import possible_duplicates
from gongchuang.accounts.enums import DocumentType, Role
from gongchuang.accounts.identity import sample_national_id
from gongchuang.accounts.identity_backfill import backfill_identity_keys
from gongchuang.accounts.models import StudentProfile, User
from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.submissions import services as works
from gongchuang.submissions.models import Authorship, Work
from tests.factories import people
from tests.submissions.helpers import complete_art_work

BIRTH = datetime.date(2011, 5, 1)


@pytest.fixture
def committee(units):
    return people.staff(Role.COMMITTEE, username="comm1", real_name="组委会")


def student(units, school, username, name, *, birth=BIRTH, number=None, kind=None):
    return people.student(
        units[school], username=username, real_name=name, birth_date=birth,
        document_type=kind or DocumentType.RESIDENT_ID,
        document_number=number
        or sample_national_id(birth_date=birth, serial=sum(map(ord, username))),
    )  # fmt: skip


def groups_by_reason():
    return {(g.reason, tuple(p.user.username for p in g.profiles)) for g in possible_duplicates()}


def test_the_three_signs_are_listed_once_each(units):
    student(
        units,
        "hd_school",
        "zhang_a",
        "张小华",
        number=sample_national_id(birth_date=BIRTH, serial=1),
    )
    student(
        units, "cy_school", "zhang_b", "张小\u200b华", kind=DocumentType.PASSPORT, number="E1234567"
    )
    student(
        units, "hd_school", "li_a", "李明", number=sample_national_id(birth_date=BIRTH, serial=2)
    )
    student(
        units, "hd_school2", "li_b", "黎明明", number=sample_national_id(birth_date=BIRTH, serial=2)
    )
    student(units, "hd_school", "zhao_a", "赵子龙", birth=BIRTH.replace(day=9))
    student(units, "cy_school", "zhao_b", "赵紫龙", birth=BIRTH.replace(day=9))
    student(units, "hd_school", "other", "钱多多", birth=BIRTH.replace(day=9))
    assert groups_by_reason() == {
        ("person", ("zhang_a", "zhang_b")),
        ("document", ("li_a", "li_b")),
        ("similar", ("zhao_a", "zhao_b")),
    }


def test_voiding_takes_the_account_off_the_list_and_is_audited(units, committee):
    a = student(units, "hd_school", "zhang_a", "张小华")
    b = student(
        units, "cy_school", "zhang_b", "张小华", kind=DocumentType.PASSPORT, number="E1234567"
    )
    with pytest.raises(DomainError):
        student_void(user=b, actor=committee, reason=" ")
    student_void(user=b, actor=committee, reason="重复注册")
    b.refresh_from_db()
    assert b.is_active is False
    assert b.student_profile.void_reason == "重复注册"
    assert possible_duplicates() == []
    event = AuditEvent.objects.get(action="account.void")
    assert (event.object_id, event.reason, event.actor_id) == (str(b.pk), "重复注册", committee.pk)
    assert User.objects.get(pk=a.pk).is_active is True


def test_merge_moves_the_draft_and_voids_the_duplicate(edition, units, committee):
    kept = student(units, "hd_school", "zhang_a", "张小华")
    dup = student(
        units, "cy_school", "zhang_b", "张小华", kind=DocumentType.PASSPORT, number="E1234567"
    )
    draft = complete_art_work(edition, dup, title="重复账号的草稿")
    student_merge(duplicate=dup, into=kept, actor=committee, reason="")
    draft.refresh_from_db()
    authorship = Authorship.objects.get(work=draft)
    assert (draft.created_by_id, authorship.user_id) == (kept.pk, kept.pk)
    assert authorship.identity_key == kept.student_profile.identity_key
    dup.refresh_from_db()
    assert dup.is_active is False and dup.student_profile.void_reason == "已合并到 zhang_a"
    event = AuditEvent.objects.get(action="account.merge")
    assert event.after == {"into": kept.pk, "authorships": 1, "works": 1, "memberships": 0}
    assert (
        AuditEvent.objects.filter(action="account.merge_into", object_id=str(kept.pk)).count() == 1
    )


def test_merge_never_gives_one_child_two_submitted_works(edition, units, committee):
    kept = student(units, "hd_school", "zhang_a", "张小华")
    dup = student(units, "cy_school", "zhang_b", "张晓华", birth=BIRTH.replace(day=2))
    works.work_submit(work=complete_art_work(edition, kept), actor=kept)
    works.work_submit(work=complete_art_work(edition, dup, title="第二个"), actor=dup)
    with pytest.raises(DomainError) as refused:
        student_merge(duplicate=dup, into=kept, actor=committee)
    assert refused.value.code == "two_slots"
    assert Work.objects.filter(created_by=dup).count() == 1
    assert User.objects.get(pk=dup.pk).is_active is True
    assert not AuditEvent.objects.filter(action="account.merge").exists()


def test_pages_are_for_the_committee_and_confirm_before_acting(units, committee):
    a = student(units, "hd_school", "zhang_a", "张小华")
    b = student(
        units, "cy_school", "zhang_b", "张小华", kind=DocumentType.PASSPORT, number="E1234567"
    )
    assert Client().get("/accounts/students/duplicates/").status_code == 302
    as_student = Client()
    as_student.force_login(a)
    assert as_student.get("/accounts/students/duplicates/").status_code == 403
    client = Client()
    client.force_login(committee)
    page = client.get("/accounts/students/duplicates/").content.decode()
    assert "姓名和出生日期相同" in page and "合并到 zhang_a" in page
    confirm = client.get(f"/accounts/students/duplicates/{b.pk}/void/")
    assert confirm.status_code == 200 and User.objects.get(pk=b.pk).is_active is True
    client.post(f"/accounts/students/duplicates/{b.pk}/void/", {"reason": "重复"})
    assert User.objects.get(pk=b.pk).is_active is False


def test_backfill_computes_person_keys_and_reports_slot_conflicts(edition, units):
    a = student(units, "hd_school", "zhang_a", "张小华")
    b = student(
        units, "cy_school", "zhang_b", "张小华", kind=DocumentType.PASSPORT, number="E1234567"
    )
    wa, wb = complete_art_work(edition, a), complete_art_work(edition, b, title="二")
    works.work_submit(work=wa, actor=a)
    # As before the person key existed: both slots held, no person keys anywhere.
    Authorship.objects.update(person_key="", holds_slot=True)
    StudentProfile.objects.update(person_key="")
    said = []

    conflicts = backfill_identity_keys(
        profile_model=StudentProfile, authorship_model=Authorship, audit_model=AuditEvent,
        say=said.append,
    )  # fmt: skip

    first, second = Authorship.objects.get(work=wa), Authorship.objects.get(work=wb)
    assert conflicts == [
        {"edition": edition.pk, "authorship": second.pk, "user": b.pk, "holder_user": a.pk}
    ]
    assert first.person_key == StudentProfile.objects.get(user=a).person_key != ""
    assert (second.person_key, second.holds_slot) == ("", True)  # kept, not dropped
    assert StudentProfile.objects.get(user=b).person_key == first.person_key
    assert AuditEvent.objects.filter(action="identity.backfill_conflict").count() == 1
    assert said[0].startswith(f"identity conflict: edition {edition.pk}, user {b.pk}")
