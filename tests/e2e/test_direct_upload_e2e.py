"""Real browser, S3 storage: a big file goes from the page straight to the bucket."""

import hashlib

import pytest
from playwright.sync_api import expect

from gongchuang.submissions.models import UploadSession, WorkFile
from tests.submissions.helpers import art_draft, mp4_bytes

from .test_submission import upload

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_video_is_uploaded_to_the_bucket_from_the_page(
    live_server, page, browser_login, s3, edition, roles
):
    work = art_draft(edition, roles["student"])
    to_bucket = []
    page.on(
        "request",
        lambda r: to_bucket.append(r.method) if r.url.startswith(s3.endpoint) else None,
    )
    browser_login(page, live_server, roles["student"].username)
    page.goto(live_server.url + work.get_absolute_url())

    # A web page disguised as a video: sent to the bucket, refused by the server, deleted.
    upload(page, "artwork", "fake.mp4", "video/mp4", b"<html><script>alert(1)</script></html>")
    status = page.locator("#slot-artwork .upload-status")
    status.filter(has_text="网页").wait_for()
    expect(status).to_contain_text("不是真正的图片、视频或文档", use_inner_text=True)
    assert s3.keys() == []

    # A real video: presign → POST to the bucket (cross-origin, CSP allows it) → complete.
    data = mp4_bytes(b"\x07\x08\x09" * (2 * 1024 * 1024))  # ~6 MB
    upload(page, "artwork", "我的视频.mp4", "video/mp4", data)
    page.locator("#slot-artwork [data-testid=file]").wait_for()

    expect(page.locator("#slot-artwork").first).to_contain_text("我的视频.mp4", use_inner_text=True)
    assert to_bucket == ["POST", "POST"]
    assert UploadSession.objects.count() == 0  # not the resumable path through our server
    work_file = WorkFile.objects.get(work=work)
    assert work_file.sha256 == hashlib.sha256(data).hexdigest()
    assert s3.keys("staging/") == []
    assert s3.body(work_file.file.name) == data
