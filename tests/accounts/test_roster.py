"""Roster import: a school's students from a spreadsheet, all-or-nothing, never twice."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from gongchuang.accounts.enums import ConsentSource, Gender, Level
from gongchuang.accounts.identity import sample_national_id
from gongchuang.accounts.models import StudentProfile, User
from gongchuang.accounts.roster import parse_roster, roster_import
from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent

pytestmark = pytest.mark.django_db

HEADER = [
    "姓 名",
    "性别",
    "出生日期",
    "学段",
    "年级",
    "证件类型",
    "身份证号码（必填）",
    "监护人姓名",
    "与学生关系",
    "家长手机",
    "同意书收集日期",
    "手机号（选填）",
    "电子邮箱",
]
TODAY = datetime.date.today()


def birth(years: int, serial: int) -> datetime.date:
    return datetime.date(TODAY.year - years, 3, 1) - datetime.timedelta(days=serial)


def row(name, serial, *, years=10, guardian=True, mobile="", email="", number=None):
    born = birth(years, serial)
    number = number or sample_national_id(birth_date=born, serial=serial)
    guardian_cells = (
        ["王家长", "母亲", f"139{serial:08d}", "2026/3/1"] if guardian else ["", "", "", ""]
    )
    level = "小学" if years < 12 else "初中"
    return [name, "女", born, level, "五年级", "居民身份证", number, *guardian_cells, mobile, email]


def sheet(*rows, title=True) -> io.BytesIO:
    book = Workbook()
    ws = book.active
    if title:
        ws.append(["海淀测试中学 2026 年学生名单"])
        ws.merge_cells("A1:M1")
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "roster.xlsx"
    return out


def test_a_clean_roster_creates_students_with_guardian_consent_collected_offline(roles, units):
    school = units["hd_school"]
    report = parse_roster(
        sheet(row("王小明", 1), row("李小红", 2, years=15, guardian=False, mobile="13712345678")),
        school=school,
    )
    assert report.errors == []

    roster_import(report=report, school=school, actor=roles["coordinator"])

    minor = User.objects.get(real_name="王小明").student_profile
    assert (minor.school, minor.level, minor.gender) == (school, Level.PRIMARY, Gender.FEMALE)
    assert minor.guardian_relation == "母亲" and minor.guardian_phone == "13900000001"
    assert minor.guardian_consent_source == ConsentSource.SCHOOL_OFFLINE
    assert minor.guardian_consent_at.date() == datetime.date(2026, 3, 1)
    assert minor.guardian_consent_version  # the text version in force
    assert not minor.user.has_usable_password()  # invited or given a sheet, never a default
    older = User.objects.get(real_name="李小红")
    assert older.mobile == "13712345678" and older.student_profile.level == Level.JUNIOR
    assert AuditEvent.objects.filter(action="account.roster_import").count() == 2


def test_one_bad_row_refuses_the_whole_sheet_with_chinese_row_messages(roles, units):
    before = User.objects.count()
    bad_id = row("张三", 3)
    bad_id[6] = "110105201001011234"
    report = parse_roster(
        sheet(row("王小明", 1), row("赵六", 4, guardian=False), bad_id), school=units["hd_school"]
    )

    assert any(e.startswith("第 4 行") and "监护人" in e for e in report.errors), report.errors
    assert "第 5 行：身份证号无效（校验位不正确），请检查。" in report.errors
    with pytest.raises(DomainError):
        roster_import(report=report, school=units["hd_school"], actor=roles["coordinator"])
    assert User.objects.count() == before


def test_a_registered_person_is_reported_and_never_created_twice(roles, units):
    school = units["hd_school"]
    existing = roles["student"].student_profile
    same_person = [
        roles["student"].real_name,
        "男",
        existing.birth_date,
        "初中",
        "初二",
        "居民身份证",
        sample_national_id(birth_date=existing.birth_date, serial=777),
        "李家长",
        "父亲",
        "13900000000",
        "2026-03-01",
        "",
        "",
    ]
    report = parse_roster(sheet(row("王小明", 1), same_person), school=school)
    assert report.errors == []
    assert [(line, user.username) for line, user in report.known] == [(4, "student_a")]

    roster_import(report=report, school=school, actor=roles["coordinator"])
    assert StudentProfile.objects.filter(person_key=existing.person_key).count() == 1

    again = parse_roster(sheet(row("王小明", 1)), school=school)  # imported again: known
    assert again.rows == [] and len(again.known) == 1


def test_the_same_student_twice_in_the_sheet_is_an_error(roles, units):
    report = parse_roster(sheet(row("王小明", 1), row("王小明", 1)), school=units["hd_school"])
    assert any("与第 3 行是同一名学生" in e for e in report.errors), report.errors


def test_a_contact_already_in_use_is_an_error(roles, units):
    taken = roles["teacher"].mobile
    report = parse_roster(sheet(row("王小明", 1, mobile=taken)), school=units["hd_school"])
    assert any("已被其他账号使用" in e for e in report.errors), report.errors


def test_only_ones_own_school(roles, units):
    report = parse_roster(sheet(row("王小明", 1)), school=units["cy_school"])
    with pytest.raises(DomainError) as refused:
        roster_import(report=report, school=units["cy_school"], actor=roles["coordinator"])
    assert refused.value.code == "forbidden"


def test_a_teacher_imports_into_their_own_school(roles, units):
    school = units["hd_school"]
    report = parse_roster(sheet(row("王小明", 1)), school=school)
    roster_import(report=report, school=school, actor=roles["teacher"])
    assert User.objects.filter(real_name="王小明", student_profile__school=school).exists()


# --- The page ------------------------------------------------------------------------------


def test_the_page_offers_the_template_and_imports(client, roles, units):
    client.force_login(roles["coordinator"])
    page = client.get(reverse("accounts:roster_import")).content.decode()
    assert reverse("accounts:roster_template") in page
    template = client.get(reverse("accounts:roster_template"))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")

    answer = client.post(reverse("accounts:roster_import"), {"sheet": sheet(row("王小明", 1))})
    assert answer.status_code == 200
    assert User.objects.filter(real_name="王小明").exists()


def test_staff_without_a_school_cannot_import(client, roles):
    for name in ("organizer", "expert", "student"):
        client.force_login(roles[name])
        assert client.get(reverse("accounts:roster_import")).status_code == 403


def test_a_posted_school_outside_ones_own_is_refused(client, roles, units):
    client.force_login(roles["coordinator"])
    answer = client.post(
        reverse("accounts:roster_import"),
        {"sheet": sheet(row("王小明", 1)), "school": units["cy_school"].pk},
    )
    assert answer.status_code == 200  # the form refuses a school not offered
    assert not User.objects.filter(real_name="王小明").exists()
