"""One child, several accounts: never two submitted works (issue 22, item 1).

The same child registers with a 居民身份证, again with a passport at another school
with a zero-width space in the name, again with the same 身份证 under another name,
and has an old account without any document. Whatever the order or timing, one work
of the edition is submitted; the others are refused naming the holder (masked).
"""

import datetime

import pytest
from django.db import connection

from gongchuang.accounts.enums import DocumentType
from gongchuang.accounts.identity import fallback_identity_hash, sample_national_id
from gongchuang.accounts.models import StudentProfile
from gongchuang.common.errors import DomainError
from gongchuang.submissions import services
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Authorship, Work
from tests.factories import people

from .helpers import at_once, complete_art_work

BIRTH = datetime.date(2011, 5, 1)
ID_NUMBER = sample_national_id(birth_date=BIRTH, serial=21)


def one_child(units) -> list:
    """Four accounts of 王小明: by ID; by passport elsewhere with U+200B; same ID; no document."""
    by_id = people.student(
        units["hd_school"], username="wxm_id", real_name="王小明", birth_date=BIRTH,
        document_number=ID_NUMBER,
    )  # fmt: skip
    by_passport = people.student(
        units["cy_school"], username="wxm_passport", real_name=" 王小\u200b明\ufeff",
        birth_date=BIRTH, document_type=DocumentType.PASSPORT, document_number="e 1234-5678",
    )  # fmt: skip
    same_id = people.student(
        units["hd_school2"], username="wxm_same_id", real_name="王晓明", birth_date=BIRTH,
        document_number=ID_NUMBER,
    )  # fmt: skip
    legacy = people.student(
        units["hd_school2"], username="wxm_legacy", real_name="王小明", birth_date=BIRTH
    )
    # As registered before documents were required: no document, the old school-bound key.
    StudentProfile.objects.filter(user=legacy).update(
        document_type="", national_id_hash="", national_id_last4="",
        identity_key=fallback_identity_hash(
            real_name="王小明", birth_date=BIRTH, school_id=units["hd_school2"].pk
        ),
    )  # fmt: skip
    legacy.refresh_from_db()
    return [by_id, by_passport, same_id, legacy]


def test_the_keys_of_the_four_accounts(units):
    by_id, by_passport, same_id, legacy = (a.student_profile for a in one_child(units))
    assert by_id.person_key == by_passport.person_key == legacy.person_key != ""
    assert same_id.person_key != by_id.person_key  # another name…
    assert same_id.identity_key == by_id.identity_key  # …but the same document
    assert len({by_id.identity_key, by_passport.identity_key, legacy.identity_key}) == 3
    assert by_passport.national_id_last4 == "5678"
    assert by_passport.document_type == DocumentType.PASSPORT


@pytest.mark.django_db
@pytest.mark.parametrize("second", [1, 2, 3])
def test_a_second_account_of_the_child_is_refused_naming_the_holder(edition, units, second):
    accounts = one_child(units)
    first = complete_art_work(edition, accounts[0], title="第一个作品")
    other = complete_art_work(edition, accounts[second], title="第二个作品")
    services.work_submit(work=first, actor=accounts[0])

    with pytest.raises(DomainError) as refused:
        services.work_submit(work=other, actor=accounts[second])

    assert refused.value.code == "one_work_per_student"
    message = str(refused.value)
    assert "账号 wx****（王**）已用该学生的名额提交了作品" in message
    assert "wxm_id" not in message
    assert "学校联络员或市组委会" in message
    other.refresh_from_db()
    assert other.state == WorkState.DRAFT
    assert Authorship.objects.filter(holds_slot=True).count() == 1


def test_a_draft_cannot_even_be_started_by_another_account_once_submitted(edition, units):
    by_id, by_passport, *_ = one_child(units)
    services.work_submit(work=complete_art_work(edition, by_id), actor=by_id)
    with pytest.raises(DomainError) as refused:
        complete_art_work(edition, by_passport)
    assert refused.value.code == "one_work_per_student"


def test_withdrawing_frees_the_slot_for_the_other_account(edition, units):
    by_id, by_passport, *_ = one_child(units)
    first = complete_art_work(edition, by_id)
    second = complete_art_work(edition, by_passport, title="另一个作品")
    first = services.work_submit(work=first, actor=by_id)
    with pytest.raises(DomainError):
        services.work_submit(work=second, actor=by_passport)
    services.work_withdraw(work=first, actor=by_id)
    services.work_submit(work=second, actor=by_passport)
    assert Authorship.objects.get(holds_slot=True).user == by_passport


def test_different_children_of_the_same_school_are_not_blocked(edition, units):
    a = people.student(units["hd_school"], real_name="张三", birth_date=BIRTH)
    b = people.student(units["hd_school"], real_name="张三", birth_date=BIRTH.replace(day=2))
    for student in (a, b):
        services.work_submit(work=complete_art_work(edition, student), actor=student)
    assert Authorship.objects.filter(holds_slot=True).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_submits_of_the_four_accounts_leave_one_submitted_work(edition, units):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (concurrent transactions)")
    accounts = one_child(units) * 3  # 12 works: three per account
    works = [
        complete_art_work(edition, author, title=f"作品{n}") for n, author in enumerate(accounts)
    ]

    def submit(n: int):
        return lambda: services.work_submit(work=works[n], actor=accounts[n]).state

    results = at_once([submit(n) for n in range(len(works))])

    assert sorted(results) == ["one_work_per_student"] * (len(works) - 1) + ["submitted"]
    assert Work.objects.filter(state=WorkState.SUBMITTED).count() == 1
    assert Authorship.objects.filter(holds_slot=True).count() == 1


def test_accounts_linked_only_through_a_third_one_are_refused_too(edition, units):
    """The passport account shares the name with the ID account, which shares the
    document with the renamed account: the passport and renamed accounts share no key."""
    _by_id, by_passport, same_id, _legacy = one_child(units)
    keys = {a.student_profile.identity_key for a in (by_passport, same_id)}
    assert len(keys) == 2 and by_passport.student_profile.person_key != (
        same_id.student_profile.person_key
    )
    first = complete_art_work(edition, by_passport)
    second = complete_art_work(edition, same_id, title="改名后的作品")
    services.work_submit(work=first, actor=by_passport)
    with pytest.raises(DomainError) as refused:
        services.work_submit(work=second, actor=same_id)
    assert "账号 wx**********（王****）" in str(refused.value)  # the name as stored
    assert Authorship.objects.filter(holds_slot=True).count() == 1
