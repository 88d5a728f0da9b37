# ruff: noqa: E501 - spreadsheet rows read best on one line
import io
import zipfile

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import Workbook

from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.portal import services
from gongchuang.portal.importer import import_past_works
from gongchuang.portal.models import ShowcaseCredit
from gongchuang.submissions.models import Work

from .helpers import PDF_BYTES, add_file, adult_student, make_work, minor_student, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def gallery(edition, units, roles):
    hd, cy = units["hd_school"], units["cy_school"]
    young = minor_student(hd)
    adult = adult_student(cy)
    works = {
        "hd_art": make_work(edition, school=hd, title="海淀艺术作品", author=young, level="primary"),
        "cy_art": make_work(edition, school=cy, title="朝阳艺术作品", author=adult, level="university"),
        "hd_agent": make_work(edition, school=hd, title="海淀智能体", category="ai_agent",
                              author=roles["student"], keywords="垃圾分类"),
        "private": make_work(edition, school=hd, title="未公开作品", public=False,
                             created_by=roles["student"]),
        "no_consent": make_work(edition, school=hd, title="未同意作品", consent=False,
                                created_by=roles["student"]),
        "case": make_work(edition, school=hd, title="跨学科教学案例", category="teaching_case",
                          level="", author=roles["teacher"]),
    }  # fmt: skip
    add_file(works["hd_art"], kind="image", name="画.png", thumbnail=True)
    add_file(works["case"], kind="pdf", name="教学设计.pdf")
    return works


def _titles(response) -> set[str]:
    body = response.content.decode()
    titles = [
        "海淀艺术作品",
        "朝阳艺术作品",
        "海淀智能体",
        "未公开作品",
        "未同意作品",
        "跨学科教学案例",
    ]
    return {t for t in titles if t in body}


def test_showcase_lists_only_public_consented_student_works(client, gallery):
    response = client.get(reverse("portal:showcase"))
    assert _titles(response) == {"海淀艺术作品", "朝阳艺术作品", "海淀智能体"}
    assert 'loading="lazy"' in response.content.decode()
    assert "共 3 件作品" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"unit": "HD"}, {"海淀艺术作品", "海淀智能体"}),
        ({"unit": "HD", "category": "ai_art"}, {"海淀艺术作品"}),
        ({"level": "university"}, {"朝阳艺术作品"}),
        ({"q": "垃圾"}, {"海淀智能体"}),
        ({"q": "朝阳"}, {"朝阳艺术作品"}),
        ({"edition": "t2026", "category": "ai_agent"}, {"海淀智能体"}),
        ({"edition": "nope"}, {"海淀艺术作品", "朝阳艺术作品", "海淀智能体"}),  # invalid: ignored
    ],
)
def test_showcase_filters(client, gallery, query, expected):
    assert _titles(client.get(reverse("portal:showcase"), query)) == expected


def test_teaching_case_library_lists_cases_only(client, gallery):
    response = client.get(reverse("portal:teaching_cases"))
    assert _titles(response) == {"跨学科教学案例"}
    assert "教学案例库" in response.content.decode()


def test_work_page_masks_minor_names_but_not_adults(client, gallery):
    young = client.get(reverse("portal:work_detail", args=[gallery["hd_art"].pk])).content.decode()
    adult = client.get(reverse("portal:work_detail", args=[gallery["cy_art"].pk])).content.decode()
    assert "王**" in young
    assert "王小雨" not in young
    assert "陈嘉怡" in adult
    assert '<meta property="og:title" content="海淀艺术作品">' in young
    assert 'property="og:image"' in young


def test_work_page_is_404_unless_public_with_consent(client, gallery):
    for key in ("private", "no_consent"):
        assert client.get(reverse("portal:work_detail", args=[gallery[key].pk])).status_code == 404


def test_case_page_offers_its_pdf(client, gallery):
    body = client.get(reverse("portal:work_detail", args=[gallery["case"].pk])).content.decode()
    pdf = gallery["case"].files.get()
    assert reverse("portal:work_file", args=[pdf.pk]) in body
    assert "教学设计.pdf" in body


def test_public_file_view_serves_only_public_images_videos_pdfs(client, gallery):
    image = gallery["hd_art"].files.get()
    response = client.get(reverse("portal:work_file", args=[image.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    thumb = client.get(reverse("portal:work_file", args=[image.pk]) + "?thumb=1")
    assert b"".join(thumb.streaming_content) == b"\xff\xd8\xffthumb"
    archive = add_file(gallery["hd_art"], kind="zip", name="code.zip", data=b"PK\x03\x04")
    hidden = add_file(gallery["private"], kind="image", name="secret.png")
    no_consent = add_file(gallery["no_consent"], kind="image", name="secret2.png")
    for blocked in (archive, hidden, no_consent):
        assert client.get(reverse("portal:work_file", args=[blocked.pk])).status_code == 404


def test_showcase_first_page_query_count_is_bounded_with_5000_works(
    client, edition, units, roles, django_assert_max_num_queries
):
    art = edition.categories.get(code="ai_art")
    school = units["hd_school"]
    Work.objects.bulk_create(
        Work(edition=edition, category=art, title=f"作品{i}", level="junior", unit=school.unit,
             school=school, created_by=roles["student"], state="awarded", is_public=True,
             showcase_consent=True)
        for i in range(5000)
    )  # fmt: skip
    for work in Work.objects.order_by("-pk")[:3]:
        add_file(work, kind="image", name="p.png", thumbnail=True)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("portal:showcase"), {"category": "ai_art", "unit": "HD"})
    body = response.content.decode()
    assert "共 5000 件作品" in body
    assert body.count('class="gallery-item"') == 24


def test_anonymous_showcase_fragment_is_cached(client, gallery, django_assert_max_num_queries):
    client.get(reverse("portal:showcase"))
    make_work(gallery["hd_art"].edition, school=gallery["hd_art"].school, title="新增作品",
              created_by=gallery["hd_art"].created_by)  # fmt: skip
    with django_assert_max_num_queries(4):
        cached = client.get(reverse("portal:showcase"))
    assert "新增作品" not in cached.content.decode()  # served from the 60 s cache
    cache.clear()
    assert "新增作品" in client.get(reverse("portal:showcase")).content.decode()


def test_logged_in_visitors_are_not_served_the_cache(client, gallery, roles):
    client.get(reverse("portal:showcase"))
    make_work(gallery["hd_art"].edition, school=gallery["hd_art"].school, title="新增作品",
              created_by=gallery["hd_art"].created_by)  # fmt: skip
    client.force_login(roles["student"])
    assert "新增作品" in client.get(reverse("portal:showcase")).content.decode()


def test_work_set_public_needs_committee_and_consent(roles, gallery):
    with pytest.raises(DomainError):
        services.work_set_public(work=gallery["private"], actor=roles["organizer"], public=True)
    with pytest.raises(DomainError) as exc:
        services.work_set_public(work=gallery["no_consent"], actor=roles["committee"], public=True)
    assert exc.value.code == "no_consent"
    work = services.work_set_public(work=gallery["private"], actor=roles["committee"], public=True)
    assert work.is_public is True


def test_committee_toggles_showcase_through_the_page(client, roles, gallery):
    client.force_login(roles["committee"])
    page = client.get(reverse("portal:showcase_manage")).content.decode()
    assert "未公开作品" in page
    assert "未同意作品" not in page  # no consent: not offered
    client.post(reverse("portal:showcase_toggle", args=[gallery["private"].pk]), {"public": "1"})
    gallery["private"].refresh_from_db()
    assert gallery["private"].is_public is True
    client.force_login(roles["organizer"])
    assert client.get(reverse("portal:showcase_manage")).status_code == 403


def test_results_list_awarded_works_by_group(client, gallery, edition, units, roles):
    make_work(edition, school=units["hd_school"], title="入围未获奖", state="finalist",
              created_by=roles["student"])  # fmt: skip
    body = client.get(reverse("portal:results")).content.decode()
    assert "海淀艺术作品" in body
    assert "入围未获奖" not in body
    assert "AI 艺术创作 · 小学" in body
    assert "证书查验" in body


def _xlsx(rows) -> ContentFile:
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "标题",
            "类别",
            "学段",
            "区",
            "学校",
            "作者",
            "指导教师",
            "摘要",
            "关键词",
            "奖项",
            "文件",
            "未成年",
        ]
    )
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return ContentFile(out.getvalue(), name="works.xlsx")


def _zip(files: dict) -> ContentFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return ContentFile(out.getvalue(), name="files.zip")


def test_import_is_all_or_nothing_with_chinese_row_errors(roles, edition):
    sheet = _xlsx([
        ["好作品", "AI 艺术创作", "初中", "海淀区", "一中", "张三", "", "", "", "一等奖", "a.png", "是"],
        ["坏作品", "不存在的类别", "大学", "火星区", "二中", "李四", "", "", "", "", "missing.png", ""],
    ])  # fmt: skip
    with pytest.raises(DomainError) as exc:
        import_past_works(edition=edition, actor=roles["committee"], spreadsheet=sheet,
                          archive=_zip({"a.png": png_bytes()}))  # fmt: skip
    errors = exc.value.errors
    assert "第 3 行：本届没有类别“不存在的类别”。" in errors
    assert "第 3 行：无法识别的区或高校“火星区”。" in errors
    assert "第 3 行：ZIP 压缩包中没有文件“missing.png”。" in errors
    assert any(e.startswith("第 3 行：无法识别的学段“大学”") for e in errors)
    assert not Work.objects.filter(title="好作品").exists()


def test_import_rejects_disguised_files(roles, edition):
    sheet = _xlsx([["作品", "ai_art", "初中", "HD", "一中", "张三", "", "", "", "", "x.png", ""]])
    with pytest.raises(DomainError) as exc:
        import_past_works(edition=edition, actor=roles["committee"], spreadsheet=sheet,
                          archive=_zip({"x.png": b"<html><script></script></html>"}))  # fmt: skip
    assert exc.value.errors[0].startswith("第 2 行：文件“x.png”：")


def test_import_creates_public_works_with_masked_minors(client, roles, edition):
    sheet = _xlsx([
        ["往届佳作", "AI 艺术创作", "小学", "海淀区", "海淀一小", "王小明", "陈老师", "简介", "绘画", "五星作品", "pic.png", "是"],
        ["大学作品", "ai_agent", "高校", "朝阳区", "某大学", "刘大伟", "", "", "", "", "", "否"],
    ])  # fmt: skip
    works = import_past_works(edition=edition, actor=roles["committee"], spreadsheet=sheet,
                              archive=_zip({"pic.png": png_bytes()}))  # fmt: skip
    assert len(works) == 2
    credit = ShowcaseCredit.objects.get(work=works[0])
    assert (credit.authors, credit.advisors, credit.award) == ("王**", "陈老师", "五星作品")
    assert works[0].files.get().thumbnail
    body = client.get(reverse("portal:work_detail", args=[works[0].pk])).content.decode()
    assert "王**" in body and "王小明" not in body and "五星作品" in body
    assert ShowcaseCredit.objects.get(work=works[1]).authors == "刘大伟"


def test_import_page_shows_errors(client, roles, edition):
    client.force_login(roles["committee"])
    sheet = _xlsx([["", "AI 艺术创作", "初中", "海淀区", "一中", "张三", "", "", "", "", "", ""]])
    response = client.post(
        reverse("portal:showcase_import"), {"edition": edition.pk, "spreadsheet": sheet}
    )
    body = response.content.decode()
    assert "未导入任何作品" in body
    assert "第 2 行：“标题”为空。" in body


def test_pdf_file_inline(client, gallery):
    pdf = gallery["case"].files.get()
    response = client.get(reverse("portal:work_file", args=[pdf.pk]))
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"


def test_making_a_work_public_clears_the_anonymous_cache(
    client, gallery, roles, django_capture_on_commit_callbacks
):
    client.get(reverse("portal:showcase"))
    with django_capture_on_commit_callbacks(execute=True):
        services.work_set_public(work=gallery["private"], actor=roles["committee"], public=True)
    assert "未公开作品" in client.get(reverse("portal:showcase")).content.decode()


def test_results_use_the_finals_published_star_levels(client, gallery, edition, roles):
    import datetime

    from django.utils import timezone

    from gongchuang.finals.models import FinalEvent, FinalResult

    event = FinalEvent.objects.create(
        edition=edition, name="终评", starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 7, 2), venue="北京科学中心",
    )  # fmt: skip
    FinalResult.objects.create(
        event=event, work=gallery["cy_art"], group_label="AI 艺术创作 · 高校", rank=1,
        star_level="five",
    )  # fmt: skip
    before = client.get(reverse("portal:results")).content.decode()
    assert "海淀艺术作品" not in before and "朝阳艺术作品" not in before
    assert "本届结果尚未公布。" in before
    event.results_published_at = timezone.now()
    event.save()
    body = client.get(reverse("portal:results")).content.decode()
    assert "AI 艺术创作 · 高校" in body
    assert "朝阳艺术作品" in body
    assert "海淀艺术作品" not in body
    assert '<th scope="col">星级</th>' in body


def test_public_files_answer_conditional_requests(client, gallery):
    image = gallery["hd_art"].files.get()
    url = reverse("portal:work_file", args=[image.pk])
    first = client.get(url)
    assert first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_public_files_may_be_cached_by_proxies_but_notice_files_not(
    client, gallery, roles, edition
):
    from gongchuang.portal import services as portal_services

    image = gallery["hd_art"].files.get()
    response = client.get(reverse("portal:work_file", args=[image.pk]))
    assert "public" in response["Cache-Control"] and "private" not in response["Cache-Control"]
    notice = portal_services.notice_save(
        actor=roles["committee"], edition=edition, title="t", body="b"
    )
    attachment = portal_services.notice_attachment_add(
        notice=notice, actor=roles["committee"], fileobj=ContentFile(PDF_BYTES), name="a.pdf"
    )
    client.force_login(roles["committee"])
    draft_file = client.get(attachment.get_absolute_url())
    assert draft_file.status_code == 200
    assert "private" in draft_file["Cache-Control"]


@pytest.mark.parametrize(
    ("state", "label"), [("submitted", "已提交"), ("returned", "退回修改")]
)
def test_showcase_refuses_a_work_before_qualification_with_the_reason(
    client, roles, edition, units, state, label
):
    work = make_work(
        edition, school=units["hd_school"], title="待审作品", public=False, state=state,
        created_by=roles["student"],
    )  # fmt: skip
    with pytest.raises(DomainError) as exc:
        services.work_set_public(work=work, actor=roles["committee"], public=True)
    assert exc.value.code == "wrong_state"
    client.force_login(roles["committee"])
    response = client.post(
        reverse("portal:showcase_toggle", args=[work.pk]), {"public": "1"}, follow=True
    )
    assert f"只有通过市级资格审查的作品才能展示（该作品当前状态：{label}）。" in (
        response.content.decode()
    )
    work.refresh_from_db()
    assert work.is_public is False
    assert not AuditEvent.objects.filter(action="work.set_public", object_id=str(work.pk)).exists()


def test_showcase_accepts_a_qualified_work_with_consent_and_hides_one_disqualified_later(
    client, roles, edition, units
):
    work = make_work(
        edition, school=units["hd_school"], title="合格作品", public=False, state="qualified",
        author=roles["student"],
    )  # fmt: skip
    services.work_set_public(work=work, actor=roles["committee"], public=True)
    assert "合格作品" in client.get("/showcase/").content.decode()
    Work.objects.filter(pk=work.pk).update(state="disqualified")
    cache.clear()  # the page fragments are forgotten on commit; the test never commits
    assert "合格作品" not in client.get("/showcase/").content.decode()
    assert client.get(f"/showcase/{work.pk}/").status_code == 404
