import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gongchuang.accounts.enums import Level
from gongchuang.screening import services
from gongchuang.screening.selectors import unit_queue
from gongchuang.screening.spreadsheets import export_works, import_decisions
from gongchuang.submissions.enums import AuthorRole
from gongchuang.submissions.models import Authorship, Work
from tests.factories import people
from tests.factories.spreadsheets import COLUMNS_MISSING

from . import factories

HEADER = [
    "作品编号",
    "作品名称",
    "类别",
    "学段",
    "单位",
    "学校",
    "作者",
    "指导教师",
    "状态",
    "原因",
    "审核决定",
    "决定原因",
]


def _rows(data: bytes):
    return list(
        load_workbook(io.BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True)
    )


def _sheet(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for code, decision, reason in rows:
        sheet.append([code, "", "", "", "", "", "", "", "", "", decision, reason])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


@pytest.fixture
def team_work(edition, units, roles):
    """A HD work with a HD minor author, a CY minor co-author and an advisor."""
    hd_student = people.student(
        units["hd_school"], real_name="王小明", birth_date=datetime.date(2013, 1, 1)
    )
    cy_student = people.student(
        units["cy_school"],
        real_name="赵小红",
        level=Level.JUNIOR,
        birth_date=datetime.date(2013, 2, 2),
    )
    work = factories.work(
        edition,
        unit=units["hd"],
        school=units["hd_school"],
        category="ai_agent",
        author=hd_student,
        title="团队作品",
    )
    Authorship.objects.create(
        work=work, edition=edition, user=cy_student, role=AuthorRole.AUTHOR, order=1
    )
    Authorship.objects.create(
        work=work, edition=edition, user=roles["teacher"], role=AuthorRole.ADVISOR
    )
    return work


def test_export_masks_minors_outside_the_viewers_unit(team_work, roles):
    rows = _rows(export_works(Work.objects.filter(pk=team_work.pk), viewer=roles["organizer"]))
    assert list(rows[0]) == HEADER
    code, title, category, level, unit, school, authors, advisors, state, *_rest = rows[1]
    assert (code, title, category, level, unit, school) == (
        team_work.code,
        "团队作品",
        "AI 智能体应用",
        "初中",
        "海淀区",
        "海淀测试中学",
    )
    assert authors == "王小明、赵**"
    assert advisors == "陈老师"
    assert state == "已提交"


def test_export_committee_sees_all_names(team_work, roles):
    rows = _rows(export_works(Work.objects.filter(pk=team_work.pk), viewer=roles["committee"]))
    assert rows[1][6] == "王小明、赵小红"


def test_export_view_uses_filters(client, roles, edition, units):
    a = factories.work(edition, unit=units["hd"], school=units["hd_school"], title="甲")
    factories.work(
        edition, unit=units["hd"], school=units["hd_school"], title="乙", category="ai_agent"
    )
    client.force_login(roles["organizer"])
    response = client.get(reverse("screening:unit_export"), {"category": a.category_id})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert [r[0] for r in _rows(response.content)[1:]] == [a.code]


def test_import_applies_all_decisions(edition, units, roles):
    a, b, c = (
        factories.work(edition, unit=units["hd"], school=units["hd_school"]) for _ in range(3)
    )
    result = import_decisions(
        _sheet([(a.code, "推荐", ""), (b.code, "退回修改", "请补充视频"), (c.code, "", "")]),
        queue=unit_queue(roles["organizer"], edition=edition),
        actor=roles["organizer"],
        stage="unit",
    )
    assert (result.applied, result.errors) == (2, [])
    states = dict(Work.objects.values_list("code", "state"))
    assert (states[a.code], states[b.code], states[c.code]) == (
        "recommended",
        "returned",
        "submitted",
    )


def test_import_reports_row_errors_and_changes_nothing(edition, units, roles):
    a, b = (factories.work(edition, unit=units["hd"], school=units["hd_school"]) for _ in range(2))
    cy = factories.work(edition, unit=units["cy"], school=units["cy_school"])
    result = import_decisions(
        _sheet(
            [
                (a.code, "推荐", ""),
                (b.code, "不通过", ""),
                (cy.code, "推荐", ""),
                ("", "推荐", ""),
                (a.code, "推荐", ""),
                (b.code, "通过吧", ""),
            ]
        ),
        queue=unit_queue(roles["organizer"], edition=edition),
        actor=roles["organizer"],
        stage="unit",
    )
    assert result.applied == 0
    assert result.errors == [
        "第 3 行：“不通过”必须填写原因。",
        "第 5 行：作品编号为空。",
        f"第 6 行：作品 {a.code} 已在第 2 行出现。",
        "第 7 行：无法识别的审核决定“通过吧”（可填写：推荐、退回修改、不通过）。",
    ]
    assert set(Work.objects.values_list("state", flat=True)) == {"submitted"}


def test_import_other_units_code_is_unknown(edition, units, roles):
    cy = factories.work(edition, unit=units["cy"], school=units["cy_school"])
    result = import_decisions(
        _sheet([(cy.code, "推荐", "")]),
        queue=unit_queue(roles["organizer"], edition=edition),
        actor=roles["organizer"],
        stage="unit",
    )
    assert result.errors == [f"第 2 行：您的列表中没有编号为 {cy.code} 的作品。"]


def test_import_rolls_back_when_quota_overflows(edition, units, roles):
    art = edition.categories.get(code="ai_art")
    art.unit_quota = 1
    art.save()
    a, b = (factories.work(edition, unit=units["hd"], school=units["hd_school"]) for _ in range(2))
    result = import_decisions(
        _sheet([(a.code, "推荐", ""), (b.code, "推荐", "")]),
        queue=unit_queue(roles["organizer"], edition=edition),
        actor=roles["organizer"],
        stage="unit",
    )
    assert result.errors == [f"第 3 行（{b.code}）：本区 AI 艺术创作 推荐名额已满（1/1）"]
    assert set(Work.objects.values_list("state", flat=True)) == {"submitted"}


def test_import_garbage_file(edition, roles):
    result = import_decisions(
        io.BytesIO(b"not a spreadsheet"),
        queue=Work.objects.none(),
        actor=roles["organizer"],
        stage="unit",
    )
    # Text is read as a CSV file: it has no header row with the import's columns.
    assert result.errors == [COLUMNS_MISSING % "作品编号、审核决定"]


def test_import_view_shows_errors(client, edition, units, roles):
    a = factories.work(edition, unit=units["hd"], school=units["hd_school"])
    client.force_login(roles["organizer"])
    upload = SimpleUploadedFile("d.xlsx", _sheet([(a.code, "退回修改", "")]).getvalue())
    response = client.post(reverse("screening:unit_import"), {"file": upload})
    assert "第 2 行：“退回修改”必须填写原因。" in response.text
    assert "未导入任何决定" in response.text


def test_city_import_qualifies(edition, units, roles):
    a = factories.work(edition, unit=units["hd"], school=units["hd_school"])
    services.work_recommend(work=a, actor=roles["organizer"])
    from gongchuang.screening.selectors import city_queue

    result = import_decisions(
        _sheet([(a.code, "审核通过", "")]),
        queue=city_queue(roles["committee"], edition=edition),
        actor=roles["committee"],
        stage="city",
    )
    assert result.errors == []
    a.refresh_from_db()
    assert a.state == "qualified"


def test_import_refuses_zip_bomb_before_opening_it(edition, roles, monkeypatch):
    import zipfile

    from gongchuang.common import spreadsheets

    def must_not_open(*args, **kwargs):
        raise AssertionError("the bomb reached openpyxl")

    monkeypatch.setattr(spreadsheets.files, "load_workbook", must_not_open)

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("xl/workbook.xml", b"<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    out.seek(0)
    result = import_decisions(
        out, queue=Work.objects.none(), actor=roles["organizer"], stage="unit"
    )
    assert len(result.errors) == 1
    assert result.errors[0].startswith("这个压缩包解压后的数据量大得异常")
