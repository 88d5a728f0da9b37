"""School confirmation (学校确认) in a real browser: the committee turns it on, the coordinator
bulk-confirms on a phone and returns one work, the district then sees the confirmed works and
the school's progress."""

import pytest
from playwright.sync_api import expect

from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from gongchuang.submissions.services import transition_work
from tests.screening import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _waiting(edition, units, title):
    work = factories.work(
        edition, unit=units["hd"], school=units["hd_school"], submit=False, title=title
    )
    return transition_work(work, WorkState.AWAITING_SCHOOL, actor=work.created_by)


def test_committee_turns_school_confirmation_on(page, live_server, roles, edition, browser_login):
    browser_login(page, live_server, "committee")
    page.goto(f"{live_server.url}/editions/{edition.slug}/")
    section = page.get_by_test_id("school-confirmation")
    expect(section).to_contain_text("未开启")
    section.get_by_role("link", name="修改").click()
    page.get_by_label("作品先经学校确认，再进入单位资格审查").check()
    page.get_by_label("学校确认开始时间（北京时间）").fill("2026-05-01T08:00")
    page.get_by_label("学校确认截止时间（北京时间）").fill("2026-05-25T18:00")
    page.get_by_label("原因").fill("试点学校确认")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("学校确认设置已保存，并已记入审计记录。")).to_be_visible()
    expect(page.get_by_test_id("school-confirmation")).to_contain_text("已开启")
    expect(page.get_by_test_id("window-school_confirmation")).to_contain_text("2026-05-25 18:00")


def test_coordinator_bulk_confirms_on_a_phone_and_district_sees_the_works(
    phone, page, live_server, roles, edition, units, browser_login
):
    from tests.screening.school_helpers import turn_on

    turn_on(edition, roles["committee"])
    first = _waiting(edition, units, "AI 讲述中关村的故事")
    second = _waiting(edition, units, "校园能耗监测小助手")
    third = _waiting(edition, units, "AI 生成的京剧脸谱")

    phone.on("dialog", lambda dialog: dialog.accept())
    browser_login(phone, live_server, "coord_a")
    phone.goto(f"{live_server.url}/screening/school/")
    expect(phone.get_by_test_id("waiting-count")).to_contain_text("3 件作品等待您确认。")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scroll"
    for work in (first, second):
        phone.get_by_label(f"选择 {work.code}").check()
    phone.get_by_test_id("bulk-confirm").click()
    expect(phone.get_by_text("已确认 2 件作品。")).to_be_visible()
    expect(phone.get_by_test_id("work-card")).to_have_count(1)

    phone.get_by_role("link", name="AI 生成的京剧脸谱").click()
    expect(phone.get_by_test_id("school-decision")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scroll"
    phone.get_by_test_id("return").click()
    expect(phone.get_by_text("请填写退回原因。")).to_be_visible()
    phone.get_by_label("退回原因").fill("缺少创作说明")
    phone.get_by_test_id("return").click()
    expect(phone.get_by_text(f"{third.code} 已退回作者。")).to_be_visible()
    expect(phone.get_by_test_id("queue-empty")).to_be_visible()
    assert Work.objects.get(pk=third.pk).state_reason == "缺少创作说明"

    browser_login(page, live_server, "org_hd")
    page.goto(f"{live_server.url}/screening/unit/")
    rows = page.get_by_test_id("work-row")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text=first.code)).to_contain_text("已提交")
    expect(rows.filter(has_text=second.code)).to_contain_text("已提交")
    school = page.get_by_test_id("school-row").filter(has_text="海淀测试中学")
    expect(school.get_by_test_id("confirmed")).to_have_text("2")
    expect(school.get_by_test_id("waiting")).to_have_text("0")
    expect(school.get_by_test_id("returned")).to_have_text("1")
