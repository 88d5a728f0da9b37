"""Broken spreadsheets posted to every importer, as the role that may import: a 200 page with
the Chinese message, nothing imported, never a server error.

Every importer reads its file through ``gongchuang.common.spreadsheets.read_rows``; these tests
go through the real views (HTTP POST), so an importer that bypasses the reader shows up here.
"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from gongchuang.common.errors import DomainError
from gongchuang.common.spreadsheets import read_rows
from tests.factories.spreadsheets import BROKEN, xlsx

from ._fuzz import FUZZ

DJANGO_EMPTY = "所提交的是空文件。"  # a form's FileField refuses an empty file before the reader


# name -> (URL name, role, file field, extra data, the importer's row limit, form-based?)
IMPORTERS = {
    "unit_decisions": ("screening:unit_import", "organizer", "file", {}, 5000, True),
    "city_decisions": ("screening:city_import", "committee", "file", {}, 5000, True),
    "staff": ("accounts:staff_import", "committee", "sheet", {}, 2000, False),
    "schools": ("accounts:school_import", "organizer", "file", {}, 5000, True),
    "experts": ("judging:experts", "committee", "file", {}, 2000, True),
    "showcase": (
        "portal:showcase_import",
        "committee",
        "spreadsheet",
        {"edition": None},
        2000,
        True,
    ),
}


def imported_state() -> tuple:
    """Everything an import could write (every import is audited, too)."""
    from gongchuang.accounts.models import Membership, School, User
    from gongchuang.common.models import AuditEvent
    from gongchuang.judging.models import ExpertProfile
    from gongchuang.submissions.models import Work

    return (
        AuditEvent.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        tuple(School.objects.order_by("pk").values_list("pk", "name", "code", "is_active")),
        ExpertProfile.objects.count(),
        tuple(Work.objects.order_by("pk").values_list("pk", "state", "is_public")),
    )


def _post(client, importer, edition, upload, archive=None):
    url_name, _role, field, extra, _limit, _form = IMPORTERS[importer]
    data = {**extra, field: upload}
    if "edition" in data:
        data["edition"] = edition.pk
    if archive is not None:
        data["archive"] = archive
    return client.post(reverse(url_name), data)


@pytest.mark.parametrize("kind", sorted(BROKEN))
@pytest.mark.parametrize("importer", sorted(IMPORTERS))
def test_broken_spreadsheet_is_a_chinese_message(client, edition, units, roles, importer, kind):
    _url, role, _field, _extra, limit, form_based = IMPORTERS[importer]
    name, content, message = BROKEN[kind]
    if kind == "empty" and form_based:
        message = DJANGO_EMPTY
    client.force_login(roles[role])
    before = imported_state()
    response = _post(client, importer, edition, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    page = response.content.decode()
    assert message.replace("%(n)s", str(limit)) in page
    assert imported_state() == before


def _zip(members: dict[str, bytes], *, flip_at: int | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for member, body in members.items():
            archive.writestr(member, body)
    data = bytearray(out.getvalue())
    if flip_at is not None:
        data[flip_at] ^= 0xFF
    return bytes(data)


SHOWCASE_ROW = [
    "作品甲",
    "AI 艺术创作",
    "初中",
    "海淀区",
    "一中",
    "张三",
    "",
    "",
    "",
    "",
    "a.pdf",
    "",
]
SHOWCASE_HEADER = (
    "标题", "类别", "学段", "区", "学校", "作者",
    "指导教师", "摘要", "关键词", "奖项", "文件", "未成年",
)  # fmt: skip


def _post_showcase(client, edition, archive: bytes):
    """The showcase import is posted: one good row, and ``archive`` as its ZIP."""
    sheet = SimpleUploadedFile("w.xlsx", xlsx([SHOWCASE_ROW], header=SHOWCASE_HEADER))
    return _post(
        client, "showcase", edition, sheet, archive=SimpleUploadedFile("files.zip", archive)
    )


def test_showcase_archive_with_a_damaged_member_is_a_row_message(client, edition, units, roles):
    """The ZIP of the showcase import: a member whose bytes fail the CRC check."""
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    archive = _zip({"a.pdf": pdf}, flip_at=30 + len("a.pdf") + 3)  # inside a.pdf's data
    client.force_login(roles["committee"])
    before = imported_state()
    response = _post_showcase(client, edition, archive)
    assert response.status_code == 200
    assert (
        "第 2 行：文件“a.pdf”：无法从 ZIP 压缩包中解压（压缩包已损坏，或该文件设有密码）。"
        in response.content.decode()
    )
    assert imported_state() == before


@pytest.mark.parametrize("kind", ["random_bytes", "truncated", "empty", "csv"])
def test_showcase_broken_archive_is_a_chinese_message(client, edition, units, roles, kind):
    content = "姓名,手机号\n张三,13800000000\n".encode() if kind == "csv" else BROKEN[kind][1]
    client.force_login(roles["committee"])
    before = imported_state()
    response = _post_showcase(client, edition, content)
    assert response.status_code == 200
    assert 'data-testid="import-errors"' in response.content.decode() or kind == "empty"
    assert imported_state() == before


def _stored_xlsx() -> bytes:
    """A workbook re-packed uncompressed, so that a flipped byte lands in its XML."""
    members = {}
    with zipfile.ZipFile(io.BytesIO(xlsx([["张三", 1], ["李四", 2]]))) as archive:
        for info in archive.infolist():
            members[info.filename] = archive.read(info)
    return _zip(members)


def _damaged(original: bytes) -> st.SearchStrategy[tuple[bytes, bytes]]:
    """``original`` with one byte changed, and ``original`` cut anywhere."""

    def changed(position: int, value: int) -> bytes:
        data = bytearray(original)
        data[position] = value
        return bytes(data)

    return st.tuples(
        st.builds(
            changed,
            st.integers(min_value=0, max_value=len(original) - 1),
            st.integers(min_value=0, max_value=255),
        ),
        st.integers(min_value=0, max_value=len(original)).map(lambda cut: original[:cut]),
    )


def _assert_rows_or_domain_error(candidates: tuple[bytes, ...], *, max_rows) -> None:
    """Each candidate reads as rows or is refused with a DomainError that has a message —
    never another exception."""
    for candidate in candidates:
        try:
            rows = read_rows(io.BytesIO(candidate), max_rows=max_rows)
        except DomainError as exc:
            assert str(exc.message)
        else:
            assert isinstance(rows, list)


STORED_XLSX = _stored_xlsx()


@FUZZ
@given(damaged=_damaged(STORED_XLSX))
def test_mutated_workbooks_give_rows_or_a_domain_error(damaged):
    """Any byte of a workbook changed, and the file cut anywhere: rows, or a DomainError."""
    _assert_rows_or_domain_error(damaged, max_rows=10)


def _xls() -> bytes:
    from tests.factories.real_sheets import xls_sheet

    return xls_sheet([["姓名", "分数"], *[["张三", n * 1.5] for n in range(30)]])


STORED_XLS = _xls()


@FUZZ
@given(damaged=_damaged(STORED_XLS))
def test_mutated_xls_files_give_rows_or_a_domain_error(damaged):
    """The same for the old .xls format (read with xlrd, which never takes the process down)."""
    _assert_rows_or_domain_error(damaged, max_rows=100)
