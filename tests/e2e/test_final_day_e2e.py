"""Playwright, the final day: the live board clears as a judge scores on a phone, the
projector counts the task down from the server's time, the check-in desk takes a typed
code and reads a QR code from a (fake) phone camera."""

import datetime
import os
import re

import pytest
import qrcode
from django.utils import timezone
from playwright.sync_api import expect

from gongchuang.accounts.enums import Role
from gongchuang.common.models import AuditEvent
from gongchuang.finals import services
from gongchuang.finals.models import FinalistAttendance, OnsiteTask
from tests.factories import people
from tests.finals.conftest import make_event, make_finalist, make_presentation_session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _final(edition, units, roles, n=2):
    committee = roles["committee"]
    event = make_event(edition, committee, name="终评展示活动")
    session = make_presentation_session(event, committee, hours_left=2)
    works = [
        make_finalist(edition, school=units["hd_school"], title=f"现场作品{i + 1}")
        for i in range(n)
    ]
    for work in works:
        services.session_add_participant(session=session, work=work, actor=committee)
    judge = people.staff(Role.EXPERT, username="judge_phone", unit=units["cy"], real_name="王评委")
    other = people.staff(Role.EXPERT, username="judge_late", unit=units["cy"], real_name="赵评委")
    services.session_add_judge(session=session, judge=judge, actor=committee)
    services.session_add_judge(session=session, judge=other, actor=committee)
    return event, session, works, judge


def test_live_board_clears_when_the_judge_scores_on_a_phone(
    page, phone, live_server, browser_login, edition, units, roles
):
    _event, session, _works, judge = _final(edition, units, roles, n=1)
    browser_login(page, live_server, roles["committee"].username)
    page.goto(f"{live_server.url}/final/manage/board/")
    row = page.locator(f"[data-testid=board-judge][data-judge='{judge.pk}']")
    expect(row.get_by_test_id("missing-sheet")).to_have_count(2)
    expect(row).to_contain_text("0 / 2 份")
    expect(page.get_by_test_id("session-missing")).to_have_text("缺 4 份评分表")
    page.evaluate("window.boardNotReloaded = true")

    # The judge scores both sheets of the only finalist on a phone.
    browser_login(phone, live_server, "judge_phone")
    phone.goto(f"{live_server.url}/final/judge/session/{session.pk}/")
    card = phone.locator("section.score-card").first
    for sheet_index in (0, 1):
        sheet = card.locator("fieldset.sheet").nth(sheet_index)
        inputs = sheet.locator("input[data-dim]")
        for i in range(inputs.count()):
            inputs.nth(i).fill("8")
            inputs.nth(i).dispatch_event("change")
        expect(sheet.get_by_test_id("sheet-state")).to_have_text("已保存")

    # The board, never reloaded, clears the judge's row on its next poll.
    expect(row).to_contain_text("已全部评分", timeout=15_000)
    expect(row.get_by_test_id("missing-sheet")).to_have_count(0)
    expect(row).to_contain_text("2 / 2 份")
    expect(page.get_by_test_id("session-missing")).to_have_text("缺 2 份评分表")
    assert page.evaluate("window.boardNotReloaded") is True

    # The other judge is reminded once; the board then says when a reminder is possible again.
    late = page.locator("[data-testid=board-judge]", has_text="赵评委")
    late.get_by_role("button", name="催办").click()
    expect(page.get_by_text("已提醒 赵评委：还有 2 份评分表未填写。")).to_be_visible()
    expect(page.locator("[data-testid=board-judge]", has_text="赵评委")).to_contain_text("已催办")
    assert AuditEvent.objects.filter(action="final.judge_remind").count() == 1


def test_projector_counts_the_task_down_from_the_server_time(
    page, live_server, edition, units, roles
):
    committee = roles["committee"]
    event, session, works, _judge = _final(edition, units, roles)
    task = OnsiteTask.objects.create(
        session=session, title="中轴线海报", statement="……", time_limit_minutes=60
    )
    services.task_release(task=task, actor=committee)
    # The server's deadline: ten minutes from now.
    OnsiteTask.objects.filter(pk=task.pk).update(
        released_at=timezone.now() - datetime.timedelta(minutes=50)
    )
    event = services.screen_token_regenerate(event=event, actor=committee)
    services.session_advance(session=session, actor=committee)

    # The projector's own clock is three hours fast: the countdown must not care.
    page.clock.install(time=datetime.datetime.now() + datetime.timedelta(hours=3))
    page.goto(f"{live_server.url}/final/screen/{event.screen_token}/session/{session.pk}/")
    countdown = page.get_by_test_id("countdown")
    expect(countdown).to_have_text(re.compile(r"^(10:00|09:[45]\d)$"))
    first = countdown.inner_text()
    expect(countdown).not_to_have_text(first, timeout=5_000)  # it ticks
    expect(countdown).to_have_text(re.compile(r"^09:[45]\d$"))
    expect(page.get_by_test_id("screen-current")).to_have_text("1. 现场作品1")
    expect(page.locator(".screen-order li")).to_have_count(2)

    # The committee moves on and gives two minutes less: the next poll resyncs the page.
    services.session_advance(session=session, actor=committee)
    OnsiteTask.objects.filter(pk=task.pk).update(
        released_at=timezone.now() - datetime.timedelta(minutes=52)
    )
    expect(page.get_by_test_id("screen-current")).to_have_text("2. 现场作品2", timeout=15_000)
    expect(countdown).to_have_text(re.compile(r"^0[78]:[0-5]\d$"))
    # Time is up on the server: the page says so at its next poll.
    OnsiteTask.objects.filter(pk=task.pk).update(
        released_at=timezone.now() - datetime.timedelta(minutes=61)
    )
    expect(countdown).to_have_text("时间到", timeout=15_000)
    # No personal data on the projector: no author's name.
    for work in works:
        expect(page.locator("body")).not_to_contain_text(work.authorships.get().user.real_name)


def test_check_in_desk_takes_a_typed_code_on_a_phone(
    phone, live_server, browser_login, edition, units, roles
):
    event, _session, works, _judge = _final(edition, units, roles, n=1)
    code = FinalistAttendance.objects.get(event=event, work=works[0]).checkin_code
    browser_login(phone, live_server, roles["committee"].username)
    phone.goto(f"{live_server.url}/final/manage/checkin/")
    expect(phone.get_by_role("button", name="用摄像头扫码")).to_be_visible()
    phone.get_by_label("签到码").fill(code.lower())
    phone.get_by_role("button", name="签到", exact=True).click()
    expect(phone.get_by_test_id("checkin-result")).to_contain_text("现场作品1")
    # The same code again: nothing new, the desk says it was done before.
    phone.get_by_label("签到码").fill(code)
    phone.get_by_role("button", name="签到", exact=True).click()
    expect(phone.get_by_test_id("checkin-result")).to_contain_text("此前已签到")
    assert AuditEvent.objects.filter(action="final.checkin").count() == 1


def _y4m_of_qr(path, text: str) -> None:
    """A one-second 640×480 Y4M video of ``text`` as a QR code (Chromium's fake camera)."""
    image = qrcode.make(text, box_size=8, border=4).get_image().convert("L")
    side = min(440, image.size[0])
    image = image.resize((side, side))
    width, height = 640, 480
    y = bytearray([255]) * (width * height)
    left, top = (width - side) // 2, (height - side) // 2
    pixels = image.tobytes()
    for row in range(side):
        start = (top + row) * width + left
        y[start : start + side] = pixels[row * side : (row + 1) * side]
    chroma = bytes([128]) * (width * height // 4)
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _frame in range(10):
            out.write(b"FRAME\n" + bytes(y) + chroma + chroma)


def test_check_in_desk_reads_the_qr_code_from_the_phone_camera(
    browser, live_server, browser_login, edition, units, roles, tmp_path
):
    event, _session, works, _judge = _final(edition, units, roles, n=1)
    row = FinalistAttendance.objects.get(event=event, work=works[0])
    # What the finalist's QR code holds (finals:checkin_qr): the desk's link with the code.
    video = tmp_path / "qr.y4m"
    _y4m_of_qr(
        video, f"https://gongchuang.example.cn/final/manage/checkin/?code={row.checkin_code}"
    )
    camera_browser = browser.browser_type.launch(
        executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = camera_browser.new_context(
            locale="zh-CN",
            viewport={"width": 390, "height": 844},
            is_mobile=True,
            has_touch=True,
            permissions=["camera"],
        )
        context.set_default_timeout(30_000)
        desk = context.new_page()
        browser_login(desk, live_server, roles["committee"].username)
        desk.goto(f"{live_server.url}/final/manage/checkin/")
        desk.get_by_role("button", name="用摄像头扫码").click()
        expect(desk.get_by_test_id("checkin-result")).to_contain_text("现场作品1", timeout=20_000)
        row.refresh_from_db()
        assert row.checked_in_at is not None and row.checked_in_by == roles["committee"]
        context.close()
    finally:
        camera_browser.close()
