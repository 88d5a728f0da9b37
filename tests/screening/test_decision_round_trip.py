"""Export → edit → import of decisions, across the two UI languages and as .csv."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from gongchuang.submissions.models import Work
from tests.factories.real_sheets import csv_sheet

from . import factories


def _works(edition, units, n=3):
    return [factories.work(edition, unit=units["hd"], school=units["hd_school"]) for _ in range(n)]


def _export(client, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("screening:unit_export"))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _upload(client, language: str, name: str, data: bytes):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.post(reverse("screening:unit_import"), {"file": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize(
    "export_in,import_in,decisions",
    [
        ("en", "zh-hans", ("Recommend", "Return for revision")),
        ("zh-hans", "en", ("推荐", "退回修改")),
    ],
)
def test_a_sheet_exported_in_one_language_is_imported_in_the_other(
    client, edition, units, roles, export_in, import_in, decisions
):
    a, b, c = _works(edition, units)
    client.force_login(roles["organizer"])
    book = _export(client, export_in)
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    assert header[0] == ("Work code" if export_in == "en" else "作品编号")
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:L4"
    by_code = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    by_code[a.code][10].value = decisions[0]
    by_code[b.code][10].value = decisions[1]
    by_code[b.code][11].value = "请补充视频"
    sheet.insert_rows(1)  # a title row above the header, as staff add one
    sheet["A1"] = "海淀区推荐名单"
    out = io.BytesIO()
    book.save(out)
    response = _upload(client, import_in, "名单.xlsx", out.getvalue())
    assert response.status_code == 302
    states = dict(Work.objects.values_list("code", "state"))
    assert (states[a.code], states[b.code], states[c.code]) == (
        "recommended",
        "returned",
        "submitted",
    )


def test_a_refused_row_imports_nothing(client, edition, units, roles):
    a, b, _c = _works(edition, units)
    client.force_login(roles["organizer"])
    rows = [["作品编号", "审核决定", "决定原因"], [a.code, "推荐", ""], [b.code, "不通过", ""]]
    response = _upload(client, "zh-hans", "名单.csv", csv_sheet(rows))
    assert "第 3 行：“不通过”必须填写原因。" in response.content.decode()
    assert set(Work.objects.values_list("state", flat=True)) == {"submitted"}


def test_a_gbk_csv_of_decisions_is_imported(client, edition, units, roles):
    a, b, _c = _works(edition, units)
    client.force_login(roles["organizer"])
    rows = [["作品编号", "审核决定", "决定原因"], [a.code, "推荐", ""], ["", "", ""],
            [b.code, "退回修改", "请补充说明"]]  # fmt: skip
    response = _upload(client, "zh-hans", "名单.csv", csv_sheet(rows, encoding="gbk"))
    assert response.status_code == 302
    assert Work.objects.get(pk=a.pk).state == "recommended"
    assert Work.objects.get(pk=b.pk).state == "returned"

