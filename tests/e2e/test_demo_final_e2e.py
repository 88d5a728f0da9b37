"""The freshly seeded demo's final, run to the end by the demo accounts in a real browser:
the judge scores on a phone, the committee computes the star levels, locks, puts the award
list under publicity (公示; the demo edition's window is 0 working days), confirms it final,
publishes, and a finalist and the committee download certificates. Before confirmation no
certificate exists and /results/ and the certificate check announce the 公示.
"""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from gongchuang.demo.accounts import DEMO_PASSWORD
from gongchuang.finals.models import Certificate, FinalEvent, Score
from gongchuang.publicity.models import PublicityList
from gongchuang.submissions.enums import WorkState
from tests.audit.verify_helpers import run_verify

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The demo judge's value per finalist (running order), every dimension of both sheets.
EXPERT_VALUES = [9, 8, 7, 6, 5]
# With expert_f's seeded sheets (demo DEMO_SCORES): combined score and star level per work.
EXPECTED = [
    ("未来城市的四季", "90.00", "五星作品"),
    ("AI 笔下的胡同记忆", "77.50", "四星作品"),
    ("永定河的守护者", "72.50", "四星作品"),
    ("机器人眼中的长城", "60.00", "三星作品"),
    ("星空下的京西古道", "52.50", "三星作品"),
]


def _judge_scores_everything(phone, live_server, browser_login):
    browser_login(phone, live_server, "expert", DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/final/judge/")
    expect(phone.get_by_role("heading", name="决赛评分")).to_be_visible()
    phone.get_by_role("link", name=re.compile("展示答辩")).click()
    status = phone.get_by_test_id("sync-status")
    expect(status).to_have_text("尚未评分：共 10 份评分表待填写。")
    cards = phone.locator("section.score-card")
    expect(cards).to_have_count(5)
    for i, value in enumerate(EXPERT_VALUES):
        for kind in range(2):
            inputs = cards.nth(i).locator("fieldset.sheet").nth(kind).locator("input[data-dim]")
            for n in range(inputs.count()):
                inputs.nth(n).fill(str(value))
                inputs.nth(n).dispatch_event("change")
        if i == 0:
            expect(status).to_have_text(
                "已填写的评分已保存到服务器；还有 8 份评分表未填完（共 10 份）。"
            )
    expect(status).to_have_text("全部评分已保存到服务器。", timeout=20_000)
    expect(cards.nth(4).get_by_test_id("total").nth(1)).to_have_text("50.00")
    scores = Score.objects.filter(session__event__edition__slug="demo", judge__username="expert")
    assert sorted(scores.values_list("total", flat=True)) == sorted(
        v * 10 for v in EXPERT_VALUES * 2
    )


def _committee_computes_and_locks(page):
    page.get_by_role("button", name="计算成绩").click()
    expect(page.get_by_text("成绩已计算。")).to_be_visible()
    expect(page.get_by_text("尚未完成评分的评委")).to_have_count(0)
    for title, combined, star in EXPECTED:
        row = page.get_by_role("row", name=re.compile(re.escape(title)))
        expect(row).to_contain_text(combined)
        expect(row).to_contain_text(star)
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="审核通过并锁定").click()
    expect(page.get_by_test_id("results-status")).to_have_text("已锁定")
    expect(page.get_by_test_id("award-list-status")).to_contain_text(
        "下一步：在公示管理中发布获奖名单公示"
    )
    # Publishing now is refused: the award list has not been through its publicity.
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="发布成绩").click()
    expect(page.get_by_text("请先发布获奖名单公示，然后才能发布成绩。")).to_be_visible()
    expect(page.get_by_test_id("results-status")).to_have_text("已锁定")


def _committee_runs_the_award_publicity(page, live_server):
    page.goto(f"{live_server.url}/publicity/manage/")
    page.locator("#id_kind").select_option("award")
    page.locator("#id_title").fill("演示获奖名单公示")
    page.get_by_role("button", name="发布", exact=True).click()
    expect(page.get_by_text("名单已发布公示。")).to_be_visible()
    for title, _combined, _star in EXPECTED:
        expect(page.get_by_text(title)).to_be_visible()
    # Before confirmation: nobody is awarded, no certificate; the public pages say 公示.
    assert not Certificate.objects.filter(event__edition__slug="demo").exists()
    for url in ("/results/?edition=demo", "/final/verify/"):
        page.goto(f"{live_server.url}{url}")
        expect(page.get_by_test_id("award-publicity")).to_contain_text("获奖名单正在公示")
    # The demo edition's window is 0 working days: it ends at publication.
    page.goto(f"{live_server.url}/publicity/manage/")
    row = page.get_by_test_id("manage-list").filter(has_text="演示获奖名单公示")
    page.once("dialog", lambda d: d.accept())
    row.get_by_role("button", name="确认生效").click()
    expect(page.get_by_text("名单已确认生效。")).to_be_visible()


def _committee_publishes(page, live_server):
    page.goto(f"{live_server.url}/final/manage/results/")
    expect(page.get_by_test_id("award-list-status")).to_contain_text("获奖名单已确认生效")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="发布成绩").click()
    expect(page.get_by_test_id("results-status")).to_have_text("已发布")


def _pdf_of(download) -> bytes:
    return Path(download.value.path()).read_bytes()


def test_the_demo_final_runs_to_the_end(live_server, phone, page, browser_login):
    call_command("seed_demo", stdout=io.StringIO())
    _judge_scores_everything(phone, live_server, browser_login)

    browser_login(page, live_server, "committee", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/final/manage/results/")
    expect(page.get_by_text("尚未计算成绩。")).to_be_visible()
    _committee_computes_and_locks(page)
    _committee_runs_the_award_publicity(page, live_server)
    event = FinalEvent.objects.get(edition__slug="demo")
    award_list = PublicityList.objects.get(edition=event.edition, kind="award")
    assert (award_list.entries.count(), award_list.is_final) == (5, True)
    assert not Certificate.objects.filter(event=event).exists()
    _committee_publishes(page, live_server)
    event.refresh_from_db()
    assert event.is_published
    states = event.edition.works.filter(final_results__event=event).values_list("state", flat=True)
    assert list(states) == [WorkState.AWARDED] * 5
    assert Certificate.objects.filter(event=event).count() == 7  # 5 authors, advisor, special

    # A finalist downloads the certificate on the phone; the committee prints one too.
    phone.context.clear_cookies()
    browser_login(phone, live_server, "final1", DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/final/my/")
    expect(phone.get_by_test_id("result")).to_have_text("五星作品")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="下载证书：五星作品").click()
    assert _pdf_of(download).startswith(b"%PDF")
    code = Certificate.objects.get(event=event, user__username="final1").code
    assert download.value.suggested_filename.endswith(".pdf")

    page.goto(f"{live_server.url}/final/certificates/")
    with page.expect_download() as download:
        page.get_by_role("link", name=code).click()
    assert _pdf_of(download).startswith(b"%PDF")
    phone.goto(f"{live_server.url}/final/verify/{code}/")
    expect(phone.get_by_test_id("verify-result")).to_contain_text("五星作品")
    expect(phone.get_by_test_id("verify-result")).to_contain_text("未来城市的四季")

    # Anyone can re-derive the awards of the whole run from the stored inputs.
    status, lines, summary = run_verify("demo")
    assert (status, lines, summary["differences"]) == (0, [], 0)
    assert summary["checked"] > Certificate.objects.filter(event=event).count()
