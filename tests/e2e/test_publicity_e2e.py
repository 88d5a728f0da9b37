import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongchuang.publicity.models import PublicityList
from tests.publicity.helpers import REASON, finalist, published

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_objection_from_filing_to_upheld_and_final_list(
    page, live_server, roles, edition, browser_login, tmp_path
):
    work = finalist(edition, roles["student"], roles["committee"], title="城市小精灵")
    other = finalist(edition, roles["student_b"], roles["committee"], title="智能垃圾分类助手")
    publicity = published(edition, [work, other], roles["committee"])

    # An anonymous visitor sees the list, names masked.
    page.goto(f"{live_server.url}/publicity/")
    page.get_by_role("link", name=publicity.title).click()
    rows = page.get_by_test_id("listed-work")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="城市小精灵")).to_contain_text("李*", use_inner_text=True)
    assert "李明" not in page.content()

    # A logged-in teacher objects, with a PDF.
    from tests.publicity.helpers import pdf_upload

    evidence = tmp_path / "证据.pdf"
    evidence.write_bytes(pdf_upload().read())
    browser_login(page, live_server, "teacher_a")
    page.goto(f"{live_server.url}/publicity/{publicity.pk}/")
    page.get_by_test_id("listed-work").filter(has_text="城市小精灵").get_by_role(
        "link", name="提出异议"
    ).click()
    page.fill("#id_reason", REASON)
    page.fill("#id_contact", "13700000000")
    page.set_input_files("#id_files", str(evidence))
    page.get_by_role("button", name="提交异议").click()
    expect(page.get_by_text("您的异议已提交")).to_be_visible()
    expect(page.get_by_test_id("my-objection")).to_contain_text("已受理", use_inner_text=True)
    page.get_by_role("button", name="退出登录").click()

    # The committee asks the unit for a statement.
    browser_login(page, live_server, "committee")
    page.goto(f"{live_server.url}/publicity/manage/objections/")
    page.get_by_test_id("objection-row").get_by_role("link").click()
    page.select_option("#id_request_statement-source", "unit")
    deadline = timezone.localtime() + datetime.timedelta(days=3)
    page.fill("#id_request_statement-deadline", deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="发送要求").click()
    expect(page.get_by_test_id("objection-state")).to_have_text("调查中", use_inner_text=True)

    # While it is pending, the list cannot be confirmed final (window closed for the test).
    PublicityList.objects.filter(pk=publicity.pk).update(
        ends_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    page.goto(f"{live_server.url}/publicity/manage/")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="确认生效").click()
    expect(page.get_by_text("还有 1 条异议尚未处理完毕")).to_be_visible()
    page.get_by_role("button", name="退出登录").click()

    # The unit answers.
    browser_login(page, live_server, "org_hd")
    page.get_by_test_id("inbox-link").click()
    page.get_by_test_id("notification").filter(has_text="情况说明").get_by_role("button").click()
    assert "张晓光" not in page.content() and "陈老师" not in page.content()
    page.fill("#id_text", "经核实，该作品确实借用了往届作品的画面。")
    page.get_by_role("button", name="提交情况说明").click()
    expect(page.get_by_test_id("statement-given")).to_be_visible()
    page.get_by_role("button", name="退出登录").click()

    # The committee upholds it: the work leaves the list.
    browser_login(page, live_server, "committee")
    page.goto(f"{live_server.url}/publicity/manage/objections/?state=")
    page.get_by_test_id("objection-row").get_by_role("link").click()
    expect(page.get_by_test_id("statement")).to_contain_text("借用了往届作品", use_inner_text=True)
    page.get_by_label("异议成立", exact=True).check()
    page.fill("#id_decide-reason", "经核实，作品存在抄袭。")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="提交处理结果").click()
    expect(page.get_by_test_id("objection-state")).to_have_text("异议成立", use_inner_text=True)
    page.goto(f"{live_server.url}/publicity/{publicity.pk}/")
    expect(page.get_by_test_id("listed-work")).to_have_count(1)
    assert "城市小精灵" not in page.content()

    # Now the list can be confirmed final.
    page.goto(f"{live_server.url}/publicity/manage/")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="确认生效").click()
    expect(page.get_by_text("名单已确认生效。")).to_be_visible()
    page.get_by_role("button", name="退出登录").click()

    # The objector sees the outcome.
    browser_login(page, live_server, "teacher_a")
    page.goto(f"{live_server.url}/publicity/objections/mine/")
    mine = page.get_by_test_id("my-objection").inner_text()
    assert "异议成立" in mine and "经核实，作品存在抄袭。" in mine
    page.get_by_test_id("inbox-link").click()
    expect(page.get_by_test_id("notification").first).to_contain_text(
        "异议成立", use_inner_text=True
    )


def test_publicity_list_on_phone(phone, live_server, roles, edition):
    work = finalist(edition, roles["student"], roles["committee"], title="城市小精灵")
    publicity = published(edition, [work], roles["committee"])
    phone.goto(f"{live_server.url}/publicity/{publicity.pk}/")
    expect(phone.get_by_role("heading", name=publicity.title)).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_committee_puts_a_list_back_into_publicity_with_a_reason(
    page, live_server, roles, edition, browser_login
):
    work = finalist(edition, roles["student"], roles["committee"], title="城市小精灵")
    earlier = timezone.now() - datetime.timedelta(days=20)
    publicity = published(edition, [work], roles["committee"], now=earlier)
    browser_login(page, live_server, "committee")
    page.goto(f"{live_server.url}/publicity/manage/")
    row = page.get_by_test_id("manage-list").filter(has_text=publicity.title)
    row.get_by_text("重新公示", exact=True).click()
    row.get_by_role("button", name="开始新的公示期").click()
    expect(page.get_by_text("请填写重新公示的原因。")).to_be_visible()
    row = page.get_by_test_id("manage-list").filter(has_text=publicity.title)
    row.get_by_text("重新公示", exact=True).click()
    row.get_by_label("重新公示的原因").fill("名单有变更，重新公示。")
    row.get_by_role("button", name="开始新的公示期").click()
    publicity.refresh_from_db()
    end = timezone.localtime(publicity.ends_at).strftime("%Y-%m-%d %H:%M")
    expect(page.get_by_text(f"名单已重新公示，公示期至 {end}。")).to_be_visible()
    assert publicity.published_at > earlier and publicity.ends_at > timezone.now()
    from gongchuang.common.models import AuditEvent

    assert AuditEvent.objects.get(action="publicity.reopen").reason == "名单有变更，重新公示。"
