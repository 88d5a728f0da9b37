"""Playwright on a phone: a judge scores offline; certificates verify on the portal."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from gongchuang.accounts.enums import Role
from gongchuang.common.models import AuditEvent
from gongchuang.finals import services
from gongchuang.finals.certificates import render_certificate_pdf
from gongchuang.finals.enums import ScoreKind
from gongchuang.finals.models import Certificate, Score
from tests.factories import people
from tests.finals.conftest import (
    make_event,
    make_finalist,
    make_presentation_session,
    publish_results,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _setup(edition, units, roles, n=3):
    committee = roles["committee"]
    event = make_event(edition, committee, name="终评展示活动")
    session = make_presentation_session(event, committee, hours_left=2)
    works = [
        make_finalist(edition, school=units["hd_school"], title=f"决赛作品{i + 1}")
        for i in range(n)
    ]
    for work in works:
        services.session_add_participant(session=session, work=work, actor=committee)
    judge = people.staff(Role.EXPERT, username="judge_phone", unit=units["cy"], real_name="王评委")
    services.session_add_judge(session=session, judge=judge, actor=committee)
    return event, session, works, judge


def _fill_sheet(card, kind_index, value):
    sheet = card.locator("fieldset.sheet").nth(kind_index)
    inputs = sheet.locator("input[data-dim]")
    for i in range(inputs.count()):
        inputs.nth(i).fill(str(value))
        inputs.nth(i).dispatch_event("change")
    return sheet


def test_judge_scores_on_phone_offline_and_syncs_exactly_once(
    phone, live_server, browser_login, edition, units, roles
):
    _event, session, works, _judge = _setup(edition, units, roles)
    browser_login(phone, live_server, "judge_phone")
    phone.goto(f"{live_server.url}/final/judge/")
    expect(phone.get_by_role("heading", name="决赛评分")).to_be_visible()
    phone.get_by_role("link", name=re.compile("展示答辩")).click()
    expect(phone.get_by_text("决赛作品3")).to_be_visible()
    # Wait until the service worker controls the page (it caches it for offline use).
    phone.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.ready")
    phone.reload()
    phone.wait_for_function("navigator.serviceWorker.controller !== null")

    cards = phone.locator("section.score-card")
    status = phone.get_by_test_id("sync-status")
    # Two finalists online: presentation by typing, task by the big + button.
    _fill_sheet(cards.nth(0), 0, 8)
    _fill_sheet(cards.nth(1), 0, 7)
    plus = cards.nth(1).locator("fieldset.sheet").nth(1).locator("button[data-step='1']").first
    plus.tap()
    expect(
        cards.nth(0).locator("fieldset.sheet").nth(0).get_by_test_id("sheet-state")
    ).to_have_text("已保存")
    # Saved, but not everything is scored: the bar says what is left (not "all saved").
    expect(status).to_have_text("已填写的评分已保存到服务器；还有 4 份评分表未填完（共 6 份）。")
    assert Score.objects.filter(work=works[0], kind=ScoreKind.PRESENTATION).get().total == 80
    assert Score.objects.filter(work=works[1], kind=ScoreKind.TASK).get().values != {}

    # The venue network drops while the third finalist is scored.
    phone.context.set_offline(True)
    third = _fill_sheet(cards.nth(2), 0, 9)
    expect(third.get_by_test_id("sheet-state")).to_have_text("已保存在本机，联网后自动同步")
    expect(status).to_contain_text("离线：待同步的评分")
    expect(third.get_by_test_id("total")).to_have_text("90.00")
    assert not Score.objects.filter(work=works[2]).exists()
    # Reloading the page offline still works (served by the service worker) and keeps the value.
    phone.reload()
    expect(phone.get_by_text("决赛作品3")).to_be_visible()
    reloaded = phone.locator("section.score-card").nth(2).locator("fieldset.sheet").nth(0)
    expect(reloaded.locator("input[data-dim]").first).to_have_value("9")
    # The bar never claims "all saved" while this device still holds a score.
    expect(phone.get_by_test_id("sync-status")).to_contain_text("离线：待同步的评分")
    assert not Score.objects.filter(work=works[2]).exists()

    phone.context.set_offline(False)
    # The bar counts the sheets of the page shown: reloaded offline, it is the copy cached
    # before the first two finalists were scored, so only the third one's sheet is filled.
    expect(phone.get_by_test_id("sync-status")).to_have_text(
        "已填写的评分已保存到服务器；还有 5 份评分表未填完（共 6 份）。", timeout=15_000
    )
    third_scores = Score.objects.filter(work=works[2])
    assert third_scores.count() == 1
    assert third_scores.get().total == 90 and third_scores.get().is_complete
    assert (
        AuditEvent.objects.filter(
            action="final.score_create", object_id=str(third_scores.get().pk)
        ).count()
        == 1
    )
    # A later flush (interval) does not duplicate anything.
    phone.wait_for_timeout(5500)
    assert Score.objects.filter(work=works[2]).count() == 1
    assert Score.objects.filter(session=session).count() == 4


def test_certificate_pdf_has_chinese_award_and_verifies(
    phone, live_server, browser_login, edition, units, roles
):
    event, session, works, judge = _setup(edition, units, roles, n=1)
    committee = roles["committee"]
    dims = list(works[0].category.rubric.all())
    for kind in (ScoreKind.PRESENTATION, ScoreKind.TASK):
        services.score_save(
            judge=judge,
            session=session,
            work=works[0],
            kind=kind,
            values={str(d.pk): 9 for d in dims},
            client_uuid=f"00000000-0000-4000-8000-00000000000{1 if kind == 'task' else 2}",
        )
    services.results_compute(event=event, actor=committee)
    event = services.results_lock(event=event, actor=committee)
    publish_results(event, committee)
    certificate = Certificate.objects.get(work=works[0])

    text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(render_certificate_pdf(certificate))).pages
    )
    assert "五星作品" in text
    assert works[0].title in text
    assert certificate.code in text

    phone.goto(f"{live_server.url}/final/verify/")
    phone.get_by_label("验证码").fill(certificate.code.lower())
    phone.get_by_role("button", name="查验").click()
    result = phone.get_by_test_id("verify-result")
    expect(result).to_contain_text("五星作品")
    expect(result).to_contain_text(works[0].title)
    # the author is a minor: the name is masked
    expect(result).to_contain_text(works[0].authorships.get().user.real_name[0] + "*")
    expect(result).not_to_contain_text(works[0].authorships.get().user.real_name)

    phone.goto(f"{live_server.url}/final/verify/NOSUCHCODE/")
    expect(phone.get_by_test_id("verify-result")).to_have_text("未找到")
