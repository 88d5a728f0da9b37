"""Demo: a school's roster imported by its coordinator, an example roster to try the import
with, and a student locked out after wrong passwords (the help page, /accounts/people/).

``seed_roster`` imports six pupils of 北京市海淀区示范中学 as ``coordinator`` (two with an
e-mail address get invitations, four need the credentials sheet) and writes
``var/demo/roster-example.xlsx``: thirty more pupils, with a title row above the header
the way schools make their lists, for the roster import page.
"""

import datetime
import io
from pathlib import Path

from axes.models import AccessAttempt
from django.conf import settings
from openpyxl import Workbook

from gongchuang.accounts.identity import sample_national_id
from gongchuang.accounts.models import School, User
from gongchuang.accounts.onboarding import onboard
from gongchuang.accounts.roster import parse_roster, roster_import

EXAMPLE_FILE = "roster-example.xlsx"
EXAMPLE_TITLE = "北京市海淀区示范中学 初一（5）班学生名单"
HEADER = ["姓名", "性别", "出生日期", "学段", "年级", "证件类型", "证件号码", "监护人姓名",
          "监护人关系", "监护人手机", "同意书收集日期", "手机号", "邮箱"]  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["子涵", "欣怡", "浩然", "梓萱", "宇轩", "雨桐", "俊杰", "思琪", "博文", "诗涵",
         "一鸣", "佳怡", "明哲", "语嫣", "天佑"]  # fmt: skip


def roster_rows(count: int, *, first: int, today: datetime.date) -> list[list]:
    """``count`` junior-high pupils aged 12–13 (so each with a guardian and the date the
    school collected the consent form); every fifth has an e-mail address."""
    rows = []
    for n in range(first, first + count):
        born = datetime.date(today.year - 13, 9, 1) + datetime.timedelta(days=(n * 7) % 300)
        name = SURNAMES[n % len(SURNAMES)] + GIVEN[(n // len(SURNAMES) + n) % len(GIVEN)]
        email = f"pupil{n}@demo.gongchuang.local" if n % 5 == 0 else ""
        rows.append([
            name, "男" if n % 2 else "女", born.strftime("%Y/%m/%d"), "初中", "初一",
            "居民身份证", sample_national_id(birth_date=born, serial=500 + n, region="110108"),
            SURNAMES[n % len(SURNAMES)] + "家长", "母亲" if n % 3 else "父亲",
            f"1360108{n:04d}", f"{today.year}年9月1日", "", email,
        ])  # fmt: skip
    return rows


def roster_xlsx(rows: list[list], *, title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "学生名单"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def seed_roster(demo) -> None:
    coordinator = demo.users["coordinator"]
    school = School.objects.get(name="北京市海淀区示范中学")
    today = demo.now.date()
    sheet = io.BytesIO(roster_xlsx(roster_rows(6, first=0, today=today), title="初一（3）班"))
    report = parse_roster(sheet, school=school)
    roster_import(report=report, school=school, actor=coordinator)
    onboard(report.created, by=coordinator)
    example = Path(settings.VAR_DIR) / "demo" / EXAMPLE_FILE
    example.parent.mkdir(parents=True, exist_ok=True)
    example.write_bytes(roster_xlsx(roster_rows(30, first=100, today=today), title=EXAMPLE_TITLE))
    _locked_out(User.objects.get(username="demo_hd3"))


def _locked_out(student: User) -> None:
    """Five wrong passwords from one address: the help page shows 解除锁定."""
    AccessAttempt.objects.create(
        username=student.username, ip_address="10.0.0.8", user_agent="demo", http_accept="*/*",
        path_info="/accounts/login/", get_data="", post_data="",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
    )  # fmt: skip
