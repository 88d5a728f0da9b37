"""Real browser: the upload progress tells size done / total, speed and time left; the page
says that choosing the same file again resumes an interrupted upload, and it does."""

import io
import random
import re
import time

import pytest
from PIL import Image
from playwright.sync_api import expect

from gongchuang.submissions import partials
from gongchuang.submissions.models import UploadSession, WorkFile
from tests.e2e.test_concurrent_uploads_e2e import one_request_at_a_time_on_sqlite  # noqa: F401
from tests.submissions.helpers import art_draft

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
CHUNK = 64 * 1024


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setitem(partials.CHUNK_SIZE, UploadSession.Store.DISK, CHUNK)


def noise_png() -> bytes:
    """A PNG that does not compress: about 300 KB, five chunks and a bit."""
    rng = random.Random(7)
    pixels = bytes(rng.getrandbits(8) for _ in range(320 * 320 * 3))
    image = Image.frombytes("RGB", (320, 320), pixels)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def hold_patch(page, number: int) -> tuple[list, list]:
    """Keep the ``number``-th chunk request (PATCH) pending until the test continues it;
    the others take 0.4 s each (a local server is too quick to measure a speed). Returns
    the chunk requests seen and the one held (0: none)."""
    seen, held = [], []

    def handle(route):
        if route.request.method == "PATCH":
            seen.append(route)
            if len(seen) == number:
                held.append(route)
                return
            time.sleep(0.4)
        route.continue_()

    page.route("**/works/uploads/*/", handle)
    return seen, held


def choose_and_upload(page, path):
    """Choose a file from the disk (the same file keeps its modification time, which the
    page uses to know it again) and press the upload button."""
    page.locator("#slot-artwork input[type=file]").set_input_files(path)
    page.locator("#slot-artwork form.upload-form button[type=submit]").click()


def test_progress_shows_sizes_speed_and_time_left_and_the_same_file_resumes(
    live_server, page, browser_login, edition, roles, small_chunks, tmp_path
):
    work = art_draft(edition, roles["student"])
    data = noise_png()
    path = tmp_path / "噪点.png"
    path.write_bytes(data)
    total = f"{len(data) / 1024:.1f} KB"
    page.on("dialog", lambda dialog: dialog.accept())
    browser_login(page, live_server, roles["student"].username)
    page.goto(live_server.url + work.get_absolute_url())
    expect(page.get_by_test_id("resume-note")).to_be_visible()
    expect(page.get_by_test_id("resume-note")).to_have_text(
        "上传如中断（网络问题、关闭了页面），再次选择同一文件并点击“上传”，即可从中断处继续。"
    )
    _seen, held = hold_patch(page, 3)
    status = page.locator("#slot-artwork .upload-status")

    choose_and_upload(page, path)

    # Two chunks arrived, the third is held: sizes, speed and time left are shown.
    expect(status).to_contain_text(f"正在上传：128.0 KB / {total}")
    expect(status).to_contain_text("/秒 · 剩余约 ")
    expect(status).to_have_text(
        re.compile(
            r"正在上传：128\.0 KB / [\d.]+ KB（42%）· [\d.]+ [KMG]?B/秒 · 剩余约 \d+ (秒|分 \d+ 秒)"
        )
    )
    assert len(held) == 1

    # The page is left mid-upload; the student comes back and chooses the same file.
    held[0].abort()
    page.goto(live_server.url + work.get_absolute_url())
    page.unroute("**/works/uploads/*/")
    resumed, _none = hold_patch(page, 0)
    choose_and_upload(page, path)

    expect(status).to_have_text(f"从断点续传：此前已上传 128.0 KB / {total}")
    expect(status).to_have_text(f"上传完成（{total}）。")
    assert resumed[0].request.headers["upload-offset"] == str(2 * CHUNK)  # not from 0
    expect(page.locator("#slot-artwork [data-testid=file]")).to_contain_text("噪点.png")
    assert WorkFile.objects.get(work=work, slot="artwork").size == len(data)
