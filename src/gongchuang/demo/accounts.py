"""Demo schools and one account for every role (passwords in README.md)."""

import datetime
import zlib

from gongchuang.accounts import services
from gongchuang.accounts.enums import (
    DocumentType,
    Level,
    Role,
    SchoolKind,
    SchoolType,
    TeacherKind,
)
from gongchuang.accounts.identity import sample_national_id
from gongchuang.accounts.models import School, Unit, User

DEMO_PASSWORD = "Gongchuang2026"  # noqa: S105 - the documented demo password
SECONDARY = [Level.JUNIOR, Level.SENIOR]
# unit, name, kind, and the school list's code, type and levels taught (/accounts/schools/)
DEMO_SCHOOLS = [
    ("HD", "北京市海淀区示范小学", SchoolKind.SCHOOL, "1111080001", SchoolType.PRIMARY, [Level.PRIMARY]),
    ("HD", "北京市海淀区示范中学", SchoolKind.SCHOOL, "1111080002", SchoolType.COMPLETE, SECONDARY),
    ("CY", "北京市朝阳区示范中学", SchoolKind.SCHOOL, "1111050001", SchoolType.COMPLETE, SECONDARY),
    ("MTG", "北京市门头沟区示范中学", SchoolKind.SCHOOL, "1111090001", SchoolType.COMPLETE, SECONDARY),
    ("XC", "北京市西城区青少年科技馆", SchoolKind.INSTITUTION, "", "", [Level.PRIMARY, *SECONDARY]),
]  # fmt: skip
DEMO_UNIVERSITY = ("DEMOU", "北京示范大学")


def _school(name):
    return School.objects.get(name=name)


def seed_people(demo) -> None:
    code, name = DEMO_UNIVERSITY
    university, _ = Unit.objects.get_or_create(
        code=code, defaults={"name": name, "kind": "university", "order": 50}
    )
    School.objects.get_or_create(
        unit=university,
        name=name,
        defaults={
            "kind": SchoolKind.UNIVERSITY,
            "school_type": SchoolType.UNIVERSITY,
            "levels": [Level.UNIVERSITY],
        },
    )
    for unit_code, school_name, kind, code, school_type, levels in DEMO_SCHOOLS:
        School.objects.get_or_create(
            unit=Unit.objects.get(code=unit_code),
            name=school_name,
            defaults={"kind": kind, "code": code, "school_type": school_type, "levels": levels},
        )

    hd_primary, hd_middle = _school("北京市海淀区示范小学"), _school("北京市海淀区示范中学")
    demo.users["student"] = _student(
        "student", "李明", Level.JUNIOR, hd_middle, "初二", "2012-03-15"
    )
    demo.users["student_young"] = _student(
        "student2",
        "王小雨",
        Level.PRIMARY,
        hd_primary,
        "五年级",
        "2015-09-01",
        guardian=("王建国", "13800000002"),
        guardian_sms=True,  # key notices by SMS to the guardian too (README 短信)
    )
    demo.users["student_cy"] = _student(
        "student3", "张晓光", Level.SENIOR, _school("北京市朝阳区示范中学"), "高一", "2010-01-20"
    )
    demo.users["teacher"] = demo_teacher("teacher", "陈老师", hd_middle)
    demo.users["coordinator"] = _staff(
        "coordinator", "赵协调", Role.SCHOOL_COORDINATOR, school=hd_middle
    )
    demo.users["organizer"] = _staff(
        "organizer", "海淀区组织员", Role.UNIT_ORGANIZER, unit=hd_middle.unit
    )
    demo.users["organizer_cy"] = _staff(
        "organizer2", "朝阳区组织员", Role.UNIT_ORGANIZER, unit=Unit.objects.get(code="CY")
    )
    demo.users["committee"] = _staff(
        "committee", "组委会秘书处", Role.COMMITTEE, is_staff=True, is_superuser=True
    )
    demo.users["expert"] = _staff("expert", "刘专家", Role.EXPERT)


def demo_national_id(username: str, birth_date) -> str:
    """A valid 居民身份证 number for a demo student, the same on every run."""
    serial = zlib.crc32(username.encode()) % 1000
    return sample_national_id(birth_date=birth_date, serial=serial, region="110108")


def _student(
    username, real_name, level, school, grade, birth, guardian=("", ""), guardian_sms=False
):
    existing = User.objects.filter(username=username).first()
    if existing:
        return existing
    return services.student_register(
        username=username,
        password=DEMO_PASSWORD,
        real_name=real_name,
        email=f"{username}@demo.gongchuang.local",
        level=level,
        school=school,
        grade=grade,
        birth_date=datetime.date.fromisoformat(birth),
        document_type=DocumentType.RESIDENT_ID,
        document_number=demo_national_id(username, datetime.date.fromisoformat(birth)),
        guardian_name=guardian[0],
        guardian_phone=guardian[1],
        guardian_consent=bool(guardian[0]),
        guardian_sms=guardian_sms,
    )


def demo_teacher(username, real_name, school, *, mobile="13800000001"):
    existing = User.objects.filter(username=username).first()
    if existing:
        return existing
    return services.teacher_register(
        username=username,
        password=DEMO_PASSWORD,
        real_name=real_name,
        email=f"{username}@demo.gongchuang.local",
        mobile=mobile,
        kind=TeacherKind.SCHOOL,
        school=school,
        subject="信息科技",
    )


def _staff(
    username, real_name, role, *, unit=None, school=None, is_staff=False, is_superuser=False
):
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            real_name=real_name,
            email=f"{username}@demo.gongchuang.local",
            is_staff=is_staff,
            is_superuser=is_superuser,
        )
    services.membership_grant(
        user=user, role=role, unit=unit or (school.unit if school else None), school=school
    )
    return user
