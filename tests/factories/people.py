"""People and organisations for tests, built through the real services."""

import datetime
import itertools

from gongchuang.accounts import services
from gongchuang.accounts.enums import DocumentType, Level, Role, SchoolKind, TeacherKind
from gongchuang.accounts.identity import sample_national_id
from gongchuang.accounts.models import School, Unit, User
from gongchuang.editions.services import units_ensure_districts

PASSWORD = "Passw0rd2026"
_seq = itertools.count(1)


def units_and_schools() -> dict:
    units_ensure_districts()
    hd, cy = Unit.objects.get(code="HD"), Unit.objects.get(code="CY")
    return {
        "hd": hd,
        "cy": cy,
        "hd_school": School.objects.get_or_create(unit=hd, name="海淀测试中学")[0],
        "hd_school2": School.objects.get_or_create(unit=hd, name="海淀测试小学")[0],
        "cy_school": School.objects.get_or_create(unit=cy, name="朝阳测试中学")[0],
        "museum": School.objects.get_or_create(unit=hd, name="海淀科技馆", defaults={"kind": SchoolKind.INSTITUTION})[0],
    }


def student(school: School, *, username=None, real_name="李明", level=Level.JUNIOR,
            birth_date=None, document_type=DocumentType.RESIDENT_ID, document_number=None,
            **extra) -> User:
    """A student with a valid document of its own; unless given, the birth date differs per
    student (a few days before 2012-03-15), so that students of the same name are
    different persons (accounts.identity.person_key)."""
    n = next(_seq)
    birth_date = birth_date or datetime.date(2012, 3, 15) - datetime.timedelta(days=n % 90)
    if document_number is None:
        document_number = sample_national_id(birth_date=birth_date, serial=n)
    minor_needs_guardian = (datetime.date.today() - birth_date).days < 14 * 365.25
    return services.student_register(
        username=username or f"stu{n}", password=PASSWORD, real_name=real_name,
        email=f"stu{n}@example.cn", level=level, school=school, grade="初二", birth_date=birth_date,
        document_type=document_type, document_number=document_number,
        guardian_name=extra.pop("guardian_name", "李家长" if minor_needs_guardian else ""),
        guardian_phone=extra.pop("guardian_phone", "13900000000" if minor_needs_guardian else ""),
        guardian_consent=extra.pop("guardian_consent", minor_needs_guardian),
        **extra,
    )


def teacher(school: School, *, username=None, real_name="陈老师") -> User:
    n = next(_seq)
    return services.teacher_register(
        username=username or f"tea{n}", password=PASSWORD, real_name=real_name, email=f"tea{n}@example.cn",
        mobile=f"137{n:08d}", kind=TeacherKind.SCHOOL, school=school, subject="信息科技",
    )


def staff(role: str, *, username=None, unit=None, school=None, real_name="工作人员", superuser=False) -> User:
    n = next(_seq)
    user = User.objects.create_user(
        username=username or f"{role[:4]}{n}", password=PASSWORD, real_name=real_name,
        email=f"staff{n}@example.cn", is_staff=superuser, is_superuser=superuser,
    )
    services.membership_grant(user=user, role=role, unit=unit, school=school)
    return user


def one_of_each_role(u: dict) -> dict:
    return {
        "student": student(u["hd_school"], username="student_a", real_name="李明"),
        "student_b": student(u["cy_school"], username="student_b", real_name="张晓光",
                             level=Level.SENIOR, birth_date=datetime.date(2009, 5, 1)),
        "teacher": teacher(u["hd_school"], username="teacher_a"),
        "coordinator": staff(Role.SCHOOL_COORDINATOR, username="coord_a", unit=u["hd"], school=u["hd_school"]),
        "organizer": staff(Role.UNIT_ORGANIZER, username="org_hd", unit=u["hd"], real_name="海淀组织员"),
        "organizer_cy": staff(Role.UNIT_ORGANIZER, username="org_cy", unit=u["cy"], real_name="朝阳组织员"),
        "committee": staff(Role.COMMITTEE, username="committee", real_name="组委会", superuser=True),
        "expert": staff(Role.EXPERT, username="expert_a", real_name="刘专家"),
    }
