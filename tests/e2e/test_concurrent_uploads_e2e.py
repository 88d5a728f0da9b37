"""Real browser: several materials uploaded at once from the work page, none lost.

One upload is held at its last request (the server's check of the file) while the others
finish: the page must not reload (the old page did, killing the held upload), each form
shows its own progress, and the file lists and next steps are refreshed once all ended.
"""

import threading

import pytest
from django.db import connection
from playwright.sync_api import expect

from gongchuang.submissions.models import UploadSession, WorkFile
from tests.submissions.helpers import art_draft, mp4_bytes, pdf_bytes, png_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def one_request_at_a_time_on_sqlite(live_server):
    """On SQLite the live server answers one request at a time.

    The test database is SQLite in memory (shared cache), where a transaction overlapping
    another fails at once ("database table is locked") instead of waiting. The browser
    still runs the uploads at once (the requests interleave); on PostgreSQL the server
    takes them concurrently too.
    """
    if connection.vendor != "sqlite":
        yield
        return
    httpd = live_server.thread.httpd
    app, lock = httpd.get_app(), threading.Lock()

    def serialized(environ, start_response):
        with lock:
            result = app(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                getattr(result, "close", lambda: None)()
        return [body]

    httpd.set_app(serialized)
    yield
    httpd.set_app(app)


def start_uploads_at_once(page, files):
    for slot, name, mime, data in files:
        page.locator(f"#slot-{slot} input[type=file]").set_input_files(
            files=[{"name": name, "mimeType": mime, "buffer": data}]
        )
    for slot, *_rest in files:
        page.locator(f"#slot-{slot} form.upload-form button[type=submit]").click()


def hold_first(page, pattern: str) -> list:
    """Keep the first request matching ``pattern`` pending until the test continues it."""
    held = []

    def handle(route):
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route(pattern, handle)
    return held


def upload_three_and_submit(page, live_server, work, files, held):
    status = page.locator("form.upload-form .upload-status")
    submit = page.locator("[data-testid=submit-work]")
    # Two finished, one held: no reload, nothing lost, no submitting yet.
    expect(status.filter(has_text="上传完成")).to_have_count(2)
    expect(status.filter(has_text="正在检查文件")).to_have_count(1)
    expect(page.locator("progress.upload-progress:not([hidden])")).to_have_count(3)
    expect(submit).to_be_disabled()
    expect(page.locator("[data-testid=file]")).to_have_count(0)  # lists refresh at the end
    assert len(held) == 1

    held[0].continue_()

    expect(status.filter(has_text="上传完成")).to_have_count(3)
    for slot, name, _mime, _data in files:
        expect(page.locator(f"#slot-{slot} [data-testid=file]")).to_have_count(1)
        expect(page.locator(f"#slot-{slot} [data-testid=file]")).to_contain_text(name)
        expect(page.locator(f"#upload-button-{slot}")).to_have_text("替换")
    expect(page.locator("[data-testid=next-steps]")).to_contain_text("所需内容已齐全")
    expect(page.locator("[data-testid=missing]")).to_have_count(0)
    expect(submit).to_be_enabled()
    # The document the test marked before uploading is still the one shown: never reloaded.
    assert page.evaluate("window.__sameDocument") == "yes"

    submit.click()
    page.wait_for_url("**/receipt/")
    expect(page.locator("[data-testid=receipt-code]")).to_have_text("2026-ART-HD-0001")
    assert sorted(WorkFile.objects.filter(work=work).values_list("slot", flat=True)) == [
        "artwork",
        "process",
        "statement",
    ]


def open_work_page(page, live_server, browser_login, work, username):
    page.on("dialog", lambda dialog: dialog.accept())
    browser_login(page, live_server, username)
    page.goto(live_server.url + work.get_absolute_url())
    expect(page.locator("[data-testid=missing]")).to_contain_text("作品文件")
    page.evaluate("window.__sameDocument = 'yes'")


def test_three_materials_upload_at_once_and_the_work_is_submitted(
    live_server, page, browser_login, edition, roles
):
    work = art_draft(edition, roles["student"])
    files = [
        ("artwork", "水墨.png", "image/png", png_bytes((900, 700))),
        ("statement", "创作说明.pdf", "application/pdf", pdf_bytes()),
        ("process", "过程记录.pdf", "application/pdf", pdf_bytes("过程")),
    ]
    open_work_page(page, live_server, browser_login, work, roles["student"].username)
    held = hold_first(page, "**/works/uploads/*/finalize/")

    start_uploads_at_once(page, files)

    upload_three_and_submit(page, live_server, work, files, held)
    assert UploadSession.objects.filter(work_file__isnull=True).count() == 0


def test_bucket_and_server_uploads_at_once_with_s3(
    live_server, page, browser_login, s3, edition, roles
):
    # The video goes straight to the bucket (direct_upload.js), the PDFs through the
    # app server into S3 multipart uploads (upload.js); the video's check is held.
    work = art_draft(edition, roles["student"])
    files = [
        ("artwork", "视频.mp4", "video/mp4", mp4_bytes(b"\x05\x06" * (1024 * 1024))),
        ("statement", "创作说明.pdf", "application/pdf", pdf_bytes()),
        ("process", "过程记录.pdf", "application/pdf", pdf_bytes("过程")),
    ]
    open_work_page(page, live_server, browser_login, work, roles["student"].username)
    held = hold_first(page, "**/files/complete/")

    start_uploads_at_once(page, files)

    upload_three_and_submit(page, live_server, work, files, held)
    assert sorted(UploadSession.objects.values_list("store", flat=True)) == ["s3", "s3"]
    assert s3.keys("staging/") == []
    assert s3.client.list_multipart_uploads(Bucket=s3.bucket).get("Uploads", []) == []
