"""Spreadsheet files, good and broken, for the importers' tests (tests/common, tests/security).

``BROKEN`` maps a name to (file name, content, the Chinese message ``read_rows`` answers).
"""

import io
import random
import zipfile

from openpyxl import Workbook

UNREADABLE = (
    "无法读取该文件：文件已损坏，或不是 Excel 工作簿。"
    "请用 Excel 或 WPS 打开，重新另存为 .xlsx 后上传新文件。"
)
OLE = "该文件是设有密码的工作簿，或已损坏。请在 Excel 或 WPS 中取消密码，另存为 .xlsx 后再上传。"
COLUMNS_MISSING = "表格缺少以下列：%s。表头须在前 10 行内；可下载模板查看各列。"
NOT_A_SHEET = "该文件不是表格。请上传 Excel 或 WPS 工作簿（.xlsx 或 .xls）或 CSV 文件。"
EMPTY = "文件是空的（0 字节）。请重新选择文件。"
NOT_XLSX = (
    "文件内容与扩展名不符：该文件实际是 无法识别类型的文件，不是 Excel 表格（XLSX）。"
    "这里可以上传：Excel 表格（XLSX）。"
)


def xlsx(rows, *, header=("甲", "乙")) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_sheet_xml(data: bytes, sheet_xml: bytes) -> bytes:
    """``data`` (an xlsx) with its first worksheet's XML replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info, sheet_xml if info.filename == "xl/worksheets/sheet1.xml" else body)
    return out.getvalue()


def sheet_xml(rows_xml: str, dimension: str = "A1") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData></worksheet>'
    ).encode()


def _ole() -> bytes:
    # What an encrypted .xlsx (or an .xls) starts with: the Compound File Binary header.
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"\xff" * 3584


def _xls() -> bytes:
    from tests.factories.real_sheets import xls_sheet

    return xls_sheet([["姓名", "手机号"]] + [["张三", "13800000000"]] * 40)


_GOOD = xlsx([["a", "b"]])
BROKEN = {
    "broken_xml": (
        "sheet.xlsx",
        with_sheet_xml(_GOOD, b"<worksheet><sheetData><row r='1'><c r='A1'"),
        UNREADABLE,
    ),
    "random_bytes": ("sheet.xlsx", random.Random(23).randbytes(3000), NOT_A_SHEET),
    "truncated": ("sheet.xlsx", _GOOD[: len(_GOOD) // 2], UNREADABLE),
    "encrypted_ole": ("sheet.xlsx", _ole(), OLE),
    "empty": ("sheet.xlsx", b"", EMPTY),
    "xls_truncated": ("sheet.xls", _xls()[:1500], OLE),
    "gbk_binary_junk": (
        "sheet.csv",
        "姓名,手机号\n".encode("gbk") + b"\x00\x81\xff" * 50,
        NOT_A_SHEET,
    ),
    "huge_dimensions": (
        "sheet.xlsx",
        with_sheet_xml(
            _GOOD,
            sheet_xml(
                '<row r="1"><c r="A1" t="inlineStr"><is><t>甲</t></is></c></row>'
                '<row r="1048576"><c r="A1048576"><v>1</v></c><c r="XFD1048576"><v>1</v></c></row>',
                dimension="A1:XFD1048576",
            ),
        ),
        "表格超过 %(n)s 行，请拆分为多个文件后分别上传。",
    ),
}
