"""Real browser (issue 20): the committee gives the edition its identity on the settings
pages — a banner and a seal — the home page shows the banner on a phone and a laptop
without sideways scrolling, and a finalist downloads a certificate carrying the seal."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongchuang.editions.services import edition_image_upload
from gongchuang.finals.models import Certificate
from tests.factories import images
from tests.finals.conftest import make_event, make_finalist

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def write(tmp_path, upload) -> str:
    path = tmp_path / upload.name
    path.write_bytes(upload.read())
    return str(path)


def test_committee_sets_banner_and_seal_and_the_home_page_shows_the_banner(
    live_server, page, browser, browser_login, edition, roles, tmp_path
):
    browser_login(page, live_server, roles["committee"].username)
    page.wait_for_url(f"{live_server.url}/accounts/dashboard/")
    page.goto(f"{live_server.url}/editions/{edition.slug}/")
    page.get_by_test_id("identity-link").click()
    expect(page).to_have_title(re.compile("横幅、标志与印章"))

    banner_form = page.get_by_test_id("upload-banner")
    banner_form.get_by_label("图片").set_input_files(write(tmp_path, images.jpg(name="x.png")))
    banner_form.get_by_role("button", name="上传横幅").click()
    expect(page.get_by_test_id("upload-banner").locator(".error")).to_contain_text("不符")
    banner_form = page.get_by_test_id("upload-banner")
    banner_form.get_by_label("图片").set_input_files(
        write(tmp_path, images.png((1920, 480), name="banner.png"))
    )
    banner_form.get_by_role("button", name="上传横幅").click()
    expect(page.get_by_text("横幅已保存，首页已显示。")).to_be_visible()
    expect(page.get_by_test_id("banner-preview")).to_be_visible()

    seal_form = page.get_by_test_id("upload-seal")
    seal_form.get_by_label("图片").set_input_files(write(tmp_path, images.png(name="opaque.png")))
    seal_form.get_by_role("button", name="上传印章").click()
    expect(page.get_by_test_id("upload-seal").locator(".error")).to_contain_text("透明背景")
    seal_form = page.get_by_test_id("upload-seal")
    seal_form.get_by_label("图片").set_input_files(
        write(tmp_path, images.png((300, 300), transparent=True, name="seal.png"))
    )
    seal_form.get_by_role("button", name="上传印章").click()
    expect(page.get_by_text("印章已保存，新生成的证书将加盖此印章。")).to_be_visible()
    expect(page.get_by_test_id("seal-preview")).to_be_visible()

    for width, height in ((390, 844), (1366, 768)):
        visitor = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
        home = visitor.new_page()
        home.goto(f"{live_server.url}/")
        banner = home.get_by_test_id("home-banner").locator("img")
        expect(banner).to_be_visible()
        expect(home.get_by_test_id("current-phase")).to_contain_text(re.compile(r"\d{4}-\d\d-\d\d"))
        expect(banner).to_have_js_property("naturalWidth", 1920)
        box = banner.bounding_box()
        assert box["width"] <= width
        assert home.evaluate("document.documentElement.scrollWidth") <= width, width
        visitor.close()


def test_finalist_downloads_the_certificate_with_the_seal(
    live_server, phone, browser_login, edition, roles, units
):
    edition_image_upload(
        edition=edition, kind="seal", actor=roles["committee"],
        upload=images.png((300, 300), transparent=True),
    )  # fmt: skip
    event = make_event(edition, roles["committee"], name="终评展示活动")
    work = make_finalist(edition, school=units["hd_school"], title="海淀决赛作品",
                         student=roles["student"])  # fmt: skip
    certificate = Certificate.objects.create(
        event=event, work=work, user=roles["student"], role="author", award="五星作品",
        issued_on=timezone.localdate(),
    )  # fmt: skip
    # The results are out (the publication itself is tested in test_finals_pages.py).
    type(event).objects.filter(pk=event.pk).update(results_published_at=timezone.now())
    browser_login(phone, live_server, roles["student"].username)
    phone.goto(f"{live_server.url}/final/verify/{certificate.code}/")
    expect(phone.get_by_test_id("certificate-number")).to_have_text(certificate.number)
    phone.goto(f"{live_server.url}/final/my/")
    with phone.expect_download() as download:
        phone.get_by_role("link", name=re.compile("下载证书")).click()
    data = open(download.value.path(), "rb").read()
    assert data.startswith(b"%PDF")
    assert b"/SMask" in data  # the seal, with its transparency
