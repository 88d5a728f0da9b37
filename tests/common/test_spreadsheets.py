"""The one spreadsheet reader: rows of a good file, a Chinese DomainError for any broken one."""

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongchuang.common import spreadsheets
from gongchuang.common.errors import DomainError
from gongchuang.common.spreadsheets import read_rows
from tests.factories.spreadsheets import (
    BROKEN,
    UNREADABLE,
    sheet_xml,
    with_sheet_xml,
    xlsx,
)


def test_rows_of_a_good_sheet_header_first_without_trailing_blanks():
    data = xlsx([["张三", 1], [None, None], ["李四", None, None], [None]], header=("姓名", "分数"))
    rows = read_rows(SimpleUploadedFile("名单.xlsx", data), max_rows=10)
    assert rows == [("姓名", "分数"), ("张三", 1), (), ("李四",)]


def test_a_file_object_without_a_name_is_read():
    assert read_rows(io.BytesIO(xlsx([["x"]])), max_rows=5) == [("甲", "乙"), ("x",)]


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_every_broken_file_is_a_chinese_domain_error(kind):
    name, content, message = BROKEN[kind]
    started = time.monotonic()
    with pytest.raises(DomainError) as err:
        read_rows(SimpleUploadedFile(name, content), max_rows=50)
    assert str(err.value.message) == message.replace("%(n)s", "50")
    assert time.monotonic() - started < 10  # the huge sheet is not padded to its claimed size


def test_rows_up_to_the_limit_pass_one_more_is_refused():
    rows = [[f"r{i}"] for i in range(3)]
    assert len(read_rows(io.BytesIO(xlsx(rows)), max_rows=3)) == 4
    with pytest.raises(DomainError) as err:
        read_rows(io.BytesIO(xlsx(rows)), max_rows=2)
    assert err.value.code == spreadsheets.CODE_TOO_MANY_ROWS
    assert str(err.value.message) == "表格超过 2 行，请拆分为多个文件后分别上传。"


def test_blank_rows_past_the_limit_are_ignored():
    data = with_sheet_xml(
        xlsx([]),
        sheet_xml(
            '<row r="1"><c r="A1"><v>1</v></c></row><row r="900"><c r="B900" s="0"/></row>',
            dimension="A1:B900",
        ),
    )
    assert read_rows(io.BytesIO(data), max_rows=5) == [(1,)]


def test_a_row_past_excels_last_row_is_refused():
    data = with_sheet_xml(
        xlsx([]), sheet_xml('<row r="2000000"><c r="A2000000"><v>1</v></c></row>')
    )
    with pytest.raises(DomainError) as err:
        read_rows(io.BytesIO(data), max_rows=5000)
    assert err.value.code == spreadsheets.CODE_TOO_MANY_ROWS


def test_wide_rows_are_cut_to_max_columns():
    data = with_sheet_xml(
        xlsx([]),
        sheet_xml('<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>2</v></c></row>', "A1:XFD1"),
    )
    assert read_rows(io.BytesIO(data), max_rows=5, max_columns=3) == [(1,)]


def test_a_zip_that_is_no_workbook_and_a_bomb_never_reach_openpyxl(monkeypatch):
    import zipfile

    def must_not_open(*args, **kwargs):
        raise AssertionError("openpyxl was called")

    monkeypatch.setattr(spreadsheets.files, "load_workbook", must_not_open)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("xl/workbook.xml", b"<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    with pytest.raises(DomainError) as err:
        read_rows(bomb, max_rows=5)
    assert err.value.code == "zip_bomb"
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("a.txt", b"hello")
    with pytest.raises(DomainError) as err:
        read_rows(plain, max_rows=5)
    assert err.value.code == "type_not_allowed"


def test_any_exception_while_reading_rows_is_unreadable(monkeypatch):
    def explode(*args, **kwargs):
        raise KeyError("xl/sharedStrings.xml")

    monkeypatch.setattr(spreadsheets.files, "load_workbook", explode)
    with pytest.raises(DomainError) as err:
        read_rows(io.BytesIO(xlsx([["x"]])), max_rows=5)
    assert (err.value.code, str(err.value.message)) == (spreadsheets.CODE_UNREADABLE, UNREADABLE)
