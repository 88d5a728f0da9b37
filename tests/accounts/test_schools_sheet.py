"""School lists as spreadsheets: import (all-or-nothing), export, and the round trip."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from gongchuang.accounts import schools
from gongchuang.accounts.models import School
from gongchuang.accounts.schools_sheet import export_bytes, parse_school_sheet, schools_import
from gongchuang.common.models import AuditEvent

pytestmark = pytest.mark.django_db

HEADER = ["单位代码", "学校名称", "学校代码", "学校类型", "学段", "状态"]


def sheet(*rows, header=HEADER) -> io.BytesIO:
    book = Workbook()
    ws = book.active
    ws.append(["海淀区学校名单（2026）"])  # a title row above the header, as offices write them
    ws.append(header)
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "schools.xlsx"
    return out


def run_import(fileobj, actor, default_unit=None):
    report = parse_school_sheet(fileobj, actor=actor, default_unit=default_unit)
    if not report.errors:
        schools_import(report=report, actor=actor)
    return report


def test_good_sheet_adds_and_updates(roles, units):
    report = run_import(
        sheet(
            ["HD", "海淀新建小学", 1111000001, "小学", "小学", "启用"],
            ["", "海淀测试中学", "HD-9", "完全中学", "初中、高中", ""],
            ["hd", "海淀撤并小学", "", "九年一贯", "小学，初中", "停用"],
        ),
        roles["organizer"],
        default_unit=units["hd"],
    )
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (2, 1, 0)
    new = School.objects.get(unit=units["hd"], name="海淀新建小学")
    assert (new.code, new.school_type, new.levels, new.is_active) == (
        "1111000001", "primary", ["primary"], True,
    )  # fmt: skip
    old = School.objects.get(pk=units["hd_school"].pk)
    assert (old.code, old.school_type, old.levels) == ("HD-9", "complete", ["junior", "senior"])
    assert School.objects.get(name="海淀撤并小学").is_active is False
    assert AuditEvent.objects.filter(action="school.add").count() == 2
    assert AuditEvent.objects.filter(action="school.update").count() == 1


def test_one_bad_row_imports_nothing_and_names_the_rows(roles, units):
    before = list(School.objects.values_list("pk", "name", "code"))
    report = run_import(
        sheet(
            ["HD", "海淀好学校", "", "小学", "小学", ""],
            ["CY", "朝阳学校", "", "小学", "幼儿园", "作废"],
            ["HD", "海淀好学校", "", "", "", ""],
        ),
        roles["organizer"],
    )
    assert report.errors == [
        "第 4 行：单位代码 CY 不存在或不在您的管理范围内。",
        "第 4 行：未知的学段“幼儿园”，请填写小学、初中、高中或高校。",
        "第 4 行：未知的状态“作废”，请填写启用或停用。",
        "第 5 行：该学校在表格中重复出现。",
    ]
    assert list(School.objects.values_list("pk", "name", "code")) == before
    assert not AuditEvent.objects.filter(action__startswith="school.").exists()


def test_code_of_one_school_with_the_name_of_another_is_refused(roles, units):
    schools.school_update(
        actor=roles["committee"], school=units["hd_school2"], name="海淀测试小学", code="P1"
    )
    report = parse_school_sheet(
        sheet(["HD", "海淀测试中学", "P1", "", "", ""]), actor=roles["committee"], default_unit=None
    )
    assert report.errors == [
        "第 3 行：学校代码 P1 属于“海淀测试小学”，而“海淀测试中学”是另一所学校。"
    ]


def test_rows_without_unit_need_a_chosen_unit(roles, units):
    report = parse_school_sheet(
        sheet(["", "无单位学校", "", "", "", ""]), actor=roles["committee"], default_unit=None
    )
    assert report.errors == ["第 3 行：缺少单位代码：请在页面上选择组织单位，或填写该列。"]


def test_export_then_import_changes_nothing(roles, units):
    schools.school_update(
        actor=roles["organizer"], school=units["hd_school"], name="海淀测试中学", code="0012",
        school_type="complete", levels=["junior", "senior"],
    )  # fmt: skip
    schools.school_deactivate(actor=roles["organizer"], school=units["hd_school2"])
    data = export_bytes(schools.schools_for_admin(roles["organizer"]))
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("单位代码", "组织单位", "学校名称", "学校代码")
    assert (
        "HD",
        "海淀区",
        "海淀测试中学",
        "0012",
        "完全中学",
        "初中、高中",
        "学校",
        "启用",
    ) in rows
    events = AuditEvent.objects.count()

    report = run_import(io.BytesIO(data), roles["organizer"])

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(rows) - 1)
    assert AuditEvent.objects.count() == events


def test_export_edited_and_imported_renames_by_code(roles, units):
    schools.school_update(
        actor=roles["organizer"], school=units["hd_school"], name="海淀测试中学", code="C7"
    )
    data = export_bytes(schools.schools_for_admin(roles["organizer"]))
    book = load_workbook(io.BytesIO(data))
    for row in book.active.iter_rows(min_row=2):
        if row[3].value == "C7":
            row[2].value = "海淀测试中学（新名）"
    out = io.BytesIO()
    book.save(out)
    out.seek(0)

    report = run_import(out, roles["organizer"])

    assert report.errors == [] and report.updated == 1
    assert School.objects.get(pk=units["hd_school"].pk).name == "海淀测试中学（新名）"
