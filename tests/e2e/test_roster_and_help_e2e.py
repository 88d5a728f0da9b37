"""A coordinator imports a class of 30 from a spreadsheet and prints the credentials sheet; a
student logs in with the one-time password and must change it. Later the coordinator helps a
locked-out student back in from the help page."""

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from gongchuang.accounts.identity import sample_national_id
from gongchuang.accounts.models import User

from ..conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "Xin-mima-2026"


def roster_file(tmp_path) -> str:
    """30 pupils: the first is 9 (a guardian and the consent date), two have e-mail."""
    book = Workbook()
    ws = book.active
    ws.append(["海淀测试中学五年级（2）班名单"])
    ws.merge_cells("A1:H1")
    ws.append(["姓名", "性别", "出生日期", "学段", "年级", "身份证号", "监护人姓名", "监护人关系",
               "监护人手机", "同意书收集日期", "邮箱"])  # fmt: skip
    today = datetime.date.today()
    for n in range(30):
        born = datetime.date(today.year - 9, 1, 1) + datetime.timedelta(days=n * 5)
        email = f"pupil{n}@example.cn" if n in (5, 6) else ""
        ws.append([f"学生{n:02d}", "男" if n % 2 else "女", born.strftime("%Y/%m/%d"), "小学",
                   "五年级", sample_national_id(birth_date=born, serial=n + 100), f"家长{n:02d}",
                   "母亲", f"1390000{n:04d}", "2026年9月1日", email])  # fmt: skip
    path = tmp_path / "roster.xlsx"
    book.save(path)
    return str(path)


def test_roster_import_credentials_sheet_and_first_login(
    page, browser, live_server, roles, units, tmp_path
):
    login(page, live_server, "coord_a")
    page.goto(live_server.url + "/accounts/roster/import/")
    expect(page.get_by_test_id("import-template")).to_be_visible()
    page.set_input_files("#id_sheet", roster_file(tmp_path))
    page.get_by_role("button", name="检查并导入").click()

    result = page.get_by_test_id("import-result")
    expect(result.locator("h2")).to_have_text("已创建 30 个学生账号", use_inner_text=True)
    expect(page.get_by_test_id("invited-count")).to_contain_text("2")
    expect(page.get_by_test_id("sheet-needed")).to_contain_text("28")
    pupil = User.objects.get(real_name="学生00").student_profile
    assert pupil.guardian_relation == "母亲" and pupil.guardian_phone == "13900000000"

    page.select_option("#id_sheet_fmt", "xlsx")
    page.get_by_test_id("sheet-confirm").check()
    with page.expect_download() as download:
        page.get_by_test_id("sheet-download").click()
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == 28
    _name, _school, username, password = rows[0][:4]

    student = browser.new_context(locale="zh-CN").new_page()
    login(student, live_server, username, password)
    expect(student.locator("h1")).to_have_text("修改密码", use_inner_text=True)
    student.fill("#id_old_password", password)
    student.fill("#id_new_password1", NEW_PASSWORD)
    student.fill("#id_new_password2", NEW_PASSWORD)
    student.get_by_role("button", name="保存").click()
    expect(student.locator(".messages").first).to_contain_text("密码已修改")
    assert User.objects.get(username=username).check_password(NEW_PASSWORD)
    student.context.close()


def test_a_coordinator_gives_a_locked_out_student_a_one_time_password(
    page, browser, live_server, roles
):
    student = browser.new_context(locale="zh-CN").new_page()
    for _ in range(5):
        student.goto(live_server.url + "/accounts/login/")
        student.fill("#id_username", "student_a")
        student.fill("#id_password", "Wrong-0000")
        student.get_by_role("button", name="登录").click()
    expect(student.locator("h1")).to_contain_text("锁定")

    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, "coord_a")
    page.goto(live_server.url + "/accounts/people/?q=student_a")
    card = page.get_by_test_id("person-row")
    expect(card).to_have_count(1)
    expect(card.get_by_test_id("locked")).to_be_visible()
    card.get_by_role("button", name="生成一次性密码").click()
    password = page.get_by_test_id("one-time-password").inner_text().strip()
    assert len(password) >= 8

    login(student, live_server, "student_a", password)
    expect(student.locator("h1")).to_have_text("修改密码", use_inner_text=True)
    student.context.close()
