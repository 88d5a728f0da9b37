import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from gongchuang.common.errors import DomainError
from gongchuang.portal import services
from gongchuang.portal.models import GuideDocument, Notice
from gongchuang.submissions.models import Work

from .helpers import PDF_BYTES, add_file, make_work

pytestmark = pytest.mark.django_db


def test_guide_renders_categories_from_the_edition_settings(client, edition):
    art = edition.categories.get(code="ai_art")
    art.max_authors = 2
    art.unit_quota = 25
    art.save()
    dimension = art.rubric.get(name="创新性")
    dimension.weight = 35
    dimension.save()
    body = client.get(reverse("portal:guide")).content.decode()
    assert "AI 艺术创作" in body
    assert "最多 2 名作者" in body
    assert "每个区或高校最多推荐 25 件作品" in body
    assert "<td>创新性</td><td>35%</td>" in body
    assert "作品文件（图片 PNG/JPG ≤20MB" in body
    # File types by their names, not the stored codes (issue 20: "image、video、audio");
    # tests/portal/test_guide_words.py checks the full wording.
    assert "<td>图片（PNG、JPG" in body and "image、video" not in body
    assert "500.0 MB" in body or "500.0 MB" in body.replace("\xa0", " ")
    assert "教师AI创新教学案例" in body and "不限名额" in body
    assert "小学" in body and "高中" in body


def test_guide_of_unknown_edition_is_404(client, edition):
    assert client.get(reverse("portal:guide"), {"edition": "nope"}).status_code == 404


def test_guide_documents_upload_and_download(client, roles, edition):
    with pytest.raises(DomainError):
        services.guide_document_add(
            edition=edition, actor=roles["organizer"], title="指南",
            fileobj=ContentFile(PDF_BYTES), name="g.pdf",
        )  # fmt: skip
    client.force_login(roles["committee"])
    response = client.post(
        reverse("portal:guide_manage"),
        {"title": "2026活动指南", "file": ContentFile(PDF_BYTES, name="指南.pdf")},
    )
    assert response.status_code == 302
    document = GuideDocument.objects.get()
    client.logout()
    body = client.get(reverse("portal:guide")).content.decode()
    assert "2026活动指南" in body
    download = client.get(document.get_absolute_url())
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_guide_manage_rejects_an_executable_with_a_chinese_message(client, roles, edition):
    client.force_login(roles["committee"])
    response = client.post(
        reverse("portal:guide_manage"),
        {"title": "指南", "file": ContentFile(b"MZ\x90\x00" + b"\x00" * 200, name="指南.pdf")},
    )
    assert response.status_code == 200
    assert GuideDocument.objects.count() == 0
    assert 'class="error"' in response.content.decode()


SITE = "https://gongchuang.example.cn"


@pytest.fixture
def public_site(settings):
    """SITE_URL set; the requests below come to another host (a forged or internal name)."""
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["testserver", "app-2.internal"]


def test_sitemap_lists_pages_notices_and_public_works(client, roles, edition, units, public_site):
    notice = services.notice_save(actor=roles["committee"], edition=edition, title="t", body="b")
    services.notice_publish(notice=notice, actor=roles["committee"])
    public = make_work(edition, school=units["hd_school"], created_by=roles["student"])
    hidden = make_work(
        edition, school=units["hd_school"], created_by=roles["student"], public=False
    )
    body = client.get("/sitemap.xml", HTTP_HOST="app-2.internal").content.decode()
    assert f"<loc>{SITE}/showcase/</loc>" in body
    assert f"<loc>{SITE}/notices/{notice.pk}/</loc>" in body
    assert f"<loc>{SITE}/showcase/{public.pk}/</loc>" in body
    assert f"/showcase/{hidden.pk}/" not in body
    assert "app-2.internal" not in body


def test_robots_txt_points_to_the_sitemap_and_hides_private_areas(client, public_site):
    body = client.get("/robots.txt", HTTP_HOST="app-2.internal").content.decode()
    assert f"Sitemap: {SITE}/sitemap.xml" in body
    assert "Disallow: /accounts/" in body


@pytest.mark.parametrize("feed", ["notice_rss", "notice_atom"])
def test_notice_feeds_link_only_the_site_url(client, roles, edition, public_site, feed):
    notice = services.notice_save(actor=roles["committee"], edition=edition, title="t", body="b")
    services.notice_publish(notice=notice, actor=roles["committee"])
    body = client.get(reverse(f"portal:{feed}"), HTTP_HOST="app-2.internal").content.decode()
    assert f"{SITE}/notices/{notice.pk}/" in body
    assert f"{SITE}/notices/" in body
    assert f"{SITE}{reverse(f'portal:{feed}')}" in body
    assert "app-2.internal" not in body


def test_open_graph_url_canonical_and_image_name_the_site_url(
    client, roles, edition, units, public_site
):
    work = make_work(edition, school=units["hd_school"], created_by=roles["student"])
    cover = add_file(work)
    url = f"/showcase/{work.pk}/?tab=1"
    body = client.get(url, HTTP_HOST="app-2.internal").content.decode()
    assert f'<meta property="og:url" content="{SITE}/showcase/{work.pk}/?tab=1">' in body
    assert f'<link rel="canonical" href="{SITE}/showcase/{work.pk}/?tab=1">' in body
    assert f'<meta property="og:image" content="{SITE}/showcase/files/{cover.pk}/">' in body
    assert "app-2.internal" not in body


@pytest.mark.parametrize(
    ("url", "title"),
    [("/", "首页"), ("/notices/", "通知公告"), ("/guide/", "活动指南"), ("/showcase/", "作品展示"),
     ("/teaching-cases/", "教学案例"), ("/results/", "结果公示")],
)  # fmt: skip
def test_public_pages_have_title_description_and_open_graph(client, edition, url, title):
    body = client.get(url).content.decode()
    assert f"<title>{title} · " in body
    assert '<meta name="description" content="' in body
    assert '<meta property="og:title"' in body
    assert '<meta property="og:description"' in body


def test_nav_lists_public_sections_for_anonymous_visitors(client, edition):
    body = client.get("/").content.decode()
    for label in ("通知公告", "活动指南", "作品展示", "教学案例", "结果公示"):
        assert f">{label}</a>" in body
    assert "通知管理" not in body


def test_healthz_still_ok(client):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


def test_demo_seeder_fills_the_portal_and_is_idempotent():
    # Only our seeder (after the accounts one), so other apps' demo data cannot break this test.
    from django.utils import timezone

    from gongchuang.demo.accounts import seed_people
    from gongchuang.demo.context import DemoContext
    from gongchuang.demo.portal import seed_portal
    from gongchuang.editions import defaults
    from gongchuang.editions.services import edition_create_from_defaults

    now = timezone.now()
    demo_edition, _ = edition_create_from_defaults(
        year=now.year, slug="demo", code="D26", windows=defaults.demo_windows(now), is_demo=True
    )
    demo = DemoContext(edition=demo_edition, now=now)
    seed_people(demo)
    seed_portal(demo)
    seed_portal(demo)  # a second run changes nothing
    assert (
        Notice.objects.filter(edition=demo_edition, is_pinned=True, status="published").count() == 1
    )
    assert Notice.objects.filter(edition=demo_edition, unit__code="HD").count() == 1
    assert GuideDocument.objects.filter(edition=demo_edition).count() == 1
    public = Work.objects.filter(is_public=True, showcase_consent=True)
    assert public.exclude(category__code="teaching_case").count() == 12
    assert public.filter(category__code="teaching_case").count() == 2
    assert public.values("unit").distinct().count() >= 8
    assert all(w.files.exists() for w in public)


@pytest.mark.parametrize("path", ["/", "/notices/", "/guide/", "/results/", "/teaching-cases/"])
def test_anonymous_public_pages_use_few_queries(
    client, roles, edition, path, django_assert_max_num_queries
):
    for i in range(30):
        notice = services.notice_save(
            actor=roles["committee"], edition=edition, title=f"通知{i}", body="b"
        )
        services.notice_publish(notice=notice, actor=roles["committee"])
    # The portal's generation token exists once anyone has visited since a start (creating
    # it is a one-off write to the shared cache); the page itself is rendered below.
    client.get("/showcase/")
    with django_assert_max_num_queries(8):
        assert client.get(path).status_code == 200
