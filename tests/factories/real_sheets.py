"""Spreadsheets as staff really make them in Excel, WPS and Notepad, for the import tests.

A merged title row above the header, headers with spaces and notes (``姓 名``,
``手机号（必填）``), full-width digits, numbers typed as numbers, dates in every local form,
an empty middle row, a second sheet, the old ``.xls`` format (written with xlwt) and CSV files
in GBK or UTF-8 with a BOM.
"""

import io

import xlwt
from openpyxl import Workbook


def xlsx_sheet(rows, *, title=None, second_sheet=None) -> bytes:
    """``rows`` under an optional merged ``title`` row; ``second_sheet`` rows go on sheet 2."""
    book = Workbook()
    sheet = book.active
    sheet.title = "名单"
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
    for row in rows:
        sheet.append(list(row))
    if second_sheet:
        other = book.create_sheet("说明")
        for row in second_sheet:
            other.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xls_sheet(rows, *, title=None) -> bytes:
    """The same in the old binary .xls format (what WPS saves by default on many PCs)."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名单")
    start = 0
    if title:
        sheet.write_merge(0, 0, 0, len(rows[0]) - 1, title)
        start = 1
    for r, row in enumerate(rows, start=start):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.add_sheet("说明").write(0, 0, "这一页不是数据")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_sheet(rows, *, encoding="gbk") -> bytes:
    """A CSV file as Excel on a Chinese Windows saves it (GBK), or ``utf-8-sig`` (with BOM)."""
    text = "\r\n".join(",".join("" if v is None else str(v) for v in row) for row in rows)
    return (text + "\r\n").encode(encoding)
