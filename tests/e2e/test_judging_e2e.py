"""Playwright: blind expert review end to end, then finalist selection and the finalist's news."""

import re

import pytest
from playwright.sync_api import expect

from gongchuang.judging import services
from gongchuang.judging.enums import ReviewStatus
from gongchuang.judging.models import Assignment, Review
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from tests.factories.works import qualified_work, rubric_values
from tests.judging.helpers import expert

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _jury(edition, units, roles):
    committee = roles["committee"]
    works = [
        qualified_work(edition, units["cy_school"], committee=committee, title=title,
                       real_name="欧阳娜娜", keywords="图像生成", abstract="用 AI 画出家乡。")
        for title in ("家乡的四季", "胡同里的猫", "长城的一天")
    ]  # fmt: skip
    services.expert_upsert(
        real_name="刘专家", mobile="", email=roles["expert"].email, expertise="图像生成",
        actor=committee,
    )  # fmt: skip
    other = expert(committee=committee, expertise="绘画")
    jury = services.jury_create(
        edition=edition, category=edition.categories.get(code="ai_art"),
        members=[roles["expert"], other], actor=committee, k=2,
    )  # fmt: skip
    services.jury_solve(jury=jury, actor=committee)
    services.jury_publish(jury=jury, actor=committee)
    return jury, works


def test_expert_reviews_blind_and_committee_selects_finalists(
    page, live_server, browser_login, edition, units, roles
):
    jury, works = _jury(edition, units, roles)
    page.on("dialog", lambda dialog: dialog.accept())

    # The expert accepts the pledge, sees the work without author names, submits a review.
    browser_login(page, live_server, "expert_a")
    page.goto(f"{live_server.url}/judging/queue/")
    expect(page.get_by_role("heading", name="保密承诺")).to_be_visible()
    page.get_by_label("我已阅读并接受上述承诺。").check()
    page.get_by_role("button", name="接受并继续").click()
    expect(page.get_by_text("谢谢。您现在可以评审分配给您的作品。")).to_be_visible()
    expect(page.get_by_test_id("progress")).to_have_text("0 / 3")
    page.get_by_role("row", name=re.compile("家乡的四季")).get_by_role("link").click()
    expect(page.get_by_test_id("work-title")).to_have_text("家乡的四季")
    expect(page.get_by_text("匿名评审：不显示作者姓名、学校和单位。")).to_be_visible()
    body = page.locator("main").inner_text()
    assert "欧阳娜娜" not in body and "朝阳" not in body
    expect(page.get_by_text("10 = 卓越，可作为示范").first).to_be_visible()
    for label in ("创新性（30%）", "AI 技术应用（25%）", "完成度与实用性（25%）",
                  "表达与展示（10%）", "伦理与安全（10%）"):  # fmt: skip
        page.get_by_label(label).fill("9")
    page.get_by_label("给组委会的评语").fill("构图新颖，AI 使用得当。")
    page.get_by_role("button", name="提交评审").click()
    expect(page.get_by_text("评审已提交。")).to_be_visible()
    expect(page.get_by_test_id("progress")).to_have_text("1 / 3")
    review = Review.objects.get(assignment__work=works[0], assignment__expert=roles["expert"])
    assert (review.status, review.total) == (ReviewStatus.SUBMITTED, 90.0)

    # The remaining reviews come in (work 0 best).
    for a in Assignment.objects.filter(jury=jury, forbidden=False, review__isnull=True):
        value = 8 if a.work_id == works[0].pk else 5
        services.review_save(
            assignment=a, scores=rubric_values(a.work, value), submit=True, actor=a.expert
        )

    # The committee previews and approves one finalist in the junior group.
    page.context.clear_cookies()
    browser_login(page, live_server, "committee")
    page.goto(f"{live_server.url}/judging/juries/{jury.pk}/ranking/")
    expect(page.get_by_text("校准分的计算方法")).to_be_visible()
    page.get_by_role("link", name=re.compile("家乡的四季")).click()
    expect(page.get_by_test_id("work-reviews")).to_contain_text("刘专家")
    expect(page.get_by_text("构图新颖，AI 使用得当。")).to_be_visible()
    page.go_back()
    page.get_by_role("link", name="遴选入围作品").click()
    page.get_by_label("规则").select_option("count")
    page.get_by_label("数量或比例").fill("1")
    page.get_by_role("button", name="预览").click()
    expect(page.get_by_test_id("preview")).to_contain_text("按规则从 3 件作品中选出 1 件")
    page.get_by_role("button", name="批准入围名单").click()
    expect(page.get_by_text("入围名单已批准，已通知作者。")).to_be_visible()
    expect(page.get_by_test_id("finalist-list")).to_contain_text("家乡的四季")
    assert Work.objects.get(pk=works[0].pk).state == WorkState.FINALIST
    assert Work.objects.get(pk=works[1].pk).state == WorkState.NOT_SELECTED

    # The finalist sees the news on the dashboard.
    page.context.clear_cookies()
    author = works[0].authorships.get().user
    browser_login(page, live_server, author.username)
    page.goto(f"{live_server.url}/accounts/dashboard/")
    expect(page.get_by_test_id("review-result-panel")).to_contain_text(
        "祝贺！您的作品已入围，受邀参加终评。"
    )
    expect(page.get_by_test_id("unread-count")).to_be_visible()


def test_committee_forms_jury_assigns_and_sees_warnings_on_phone(
    phone, live_server, browser_login, edition, units, roles
):
    committee = roles["committee"]
    for title in ("作品一", "作品二"):
        qualified_work(edition, units["cy_school"], committee=committee, title=title)
    expert(committee=committee, name="王专家", expertise="图像")
    expert(committee=committee, name="赵专家", expertise="音乐")
    phone.on("dialog", lambda dialog: dialog.accept())
    browser_login(phone, live_server, "committee")
    phone.goto(f"{live_server.url}/judging/")
    expect(phone.get_by_text("还没有评审组。请在下方创建。")).to_be_visible()
    phone.get_by_label("类别").select_option(label="AI 艺术创作")
    phone.get_by_label("每件作品评审专家数").fill("2")
    phone.get_by_role("button", name="创建评审组").click()
    expect(phone.get_by_text("评审组已创建。请选择专家。")).to_be_visible()
    phone.get_by_label(re.compile("王专家")).check()
    phone.get_by_label(re.compile("赵专家")).check()
    phone.get_by_role("button", name="保存专家").click()
    phone.get_by_role("button", name="自动分配").click()
    expect(phone.get_by_text("已自动分配作品，结果见下方。")).to_be_visible()
    expect(phone.get_by_test_id("coverage")).to_have_text("2 / 2 件")
    phone.get_by_role("button", name="向专家发布").click()
    expect(phone.get_by_text("分配已发布，专家现在可以评审。")).to_be_visible()
    # The page fits a phone: no horizontal scroll of the whole document.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1


def test_committee_imports_experts_and_expert_declares_conflict(
    page, live_server, browser_login, edition, units, roles, tmp_path
):
    from tests.judging.test_import import GOOD, xlsx

    path = tmp_path / "experts.xlsx"
    path.write_bytes(xlsx(GOOD).read())
    browser_login(page, live_server, "committee")
    page.goto(f"{live_server.url}/judging/experts/")
    expect(page.get_by_test_id("experts")).to_contain_text("刘专家")
    page.get_by_label("表格文件（xlsx）").set_input_files(str(path))
    page.get_by_role("button", name="导入").click()
    expect(page.get_by_text("已导入 2 位专家，已向 2 位新专家发送设置密码的邀请。")).to_be_visible()
    expect(page.get_by_test_id("experts")).to_contain_text("周教授")

    page.context.clear_cookies()
    browser_login(page, live_server, "expert_a")
    page.goto(f"{live_server.url}/judging/conflicts/")
    expect(page.get_by_text("您尚未申报利益冲突。")).to_be_visible()
    page.locator("#id_unit").select_option(label="朝阳区")
    page.get_by_label("原因").fill("曾在朝阳区任职")
    page.get_by_role("button", name="申报", exact=True).click()
    expect(page.get_by_text("利益冲突已记录。")).to_be_visible()
    expect(page.get_by_test_id("declared")).to_contain_text("朝阳区（曾在朝阳区任职）")


def test_expert_sees_other_experts_scores_anonymously_only_after_submitting(
    page, live_server, browser_login, edition, units, roles
):
    jury, works = _jury(edition, units, roles)
    other = jury.members.exclude(pk=roles["expert"].pk).get()
    services.pledge_accept(expert=other, edition=edition)
    theirs = Assignment.objects.select_related("work__category").get(expert=other, work=works[0])
    services.review_save(
        assignment=theirs, scores=rubric_values(works[0], 6), submit=True, actor=other,
        comment_to_committee="内部评语：仅组委会",
    )  # fmt: skip

    # The committee turns the jury's option on.
    browser_login(page, live_server, "committee")
    page.goto(f"{live_server.url}/judging/juries/{jury.pk}/")
    page.get_by_label("专家可见其他专家评分").check()
    page.get_by_role("button", name="保存设置").click()
    expect(page.get_by_text("已开启：专家提交自己的评审后")).to_be_visible()
    expect(page.get_by_label("专家可见其他专家评分")).to_be_checked()

    # Before submitting, the expert sees only a note; after submitting, the other's scores.
    page.context.clear_cookies()
    browser_login(page, live_server, "expert_a")
    page.goto(f"{live_server.url}/judging/pledge/")
    page.get_by_label("我已阅读并接受上述承诺。").check()
    page.get_by_role("button", name="接受并继续").click()
    page.goto(f"{live_server.url}/judging/works/{works[0].pk}/")
    expect(page.get_by_test_id("peer-scores-later")).to_have_text(
        "提交您的评审后，这里将显示其他专家对该作品的评分（不显示姓名）。"
    )
    expect(page.get_by_test_id("peer-scores")).to_have_count(0)
    for label in ("创新性（30%）", "AI 技术应用（25%）", "完成度与实用性（25%）",
                  "表达与展示（10%）", "伦理与安全（10%）"):  # fmt: skip
        page.get_by_label(label).fill("8")
    page.get_by_role("button", name="提交评审").click()
    expect(page.get_by_text("评审已提交。")).to_be_visible()
    page.goto(f"{live_server.url}/judging/works/{works[0].pk}/")

    peers = page.get_by_test_id("peer-scores")
    expect(peers.get_by_role("heading", name="其他专家评分")).to_be_visible()
    expect(peers.get_by_role("row", name=re.compile("其他专家 1"))).to_have_text(
        re.compile(r"其他专家 1\s*6\s*6\s*6\s*6\s*6\s*60\.0")
    )
    expect(page.get_by_test_id("peer-mean")).to_contain_text("60.0")
    body = page.locator("main").inner_text()
    assert other.real_name not in body and other.username not in body
    assert "内部评语：仅组委会" not in body
    expect(page.get_by_test_id("review-status")).to_contain_text("80.0")
