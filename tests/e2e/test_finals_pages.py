"""Playwright: finalist page on a phone, committee programme and results, certificates."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from gongchuang.accounts.enums import Role
from gongchuang.finals import services
from gongchuang.finals.enums import Attendance, ScoreKind
from gongchuang.finals.models import Certificate, CertificateBatch, FinalistAttendance, OnsiteTask
from gongchuang.submissions.enums import WorkState
from tests.factories import people
from tests.finals.conftest import (
    confirm_award_list,
    make_event,
    make_finalist,
    make_presentation_session,
    publish_results,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def final(edition, units, roles):
    committee = roles["committee"]
    event = make_event(edition, committee, name="终评展示活动")
    session = make_presentation_session(event, committee, hours_left=2)
    hd = make_finalist(
        edition, school=units["hd_school"], title="海淀决赛作品", student=roles["student"]
    )
    cy = make_finalist(edition, school=units["cy_school"], title="朝阳决赛作品")
    for work in (hd, cy):
        services.session_add_participant(session=session, work=work, actor=committee)
    judge = people.staff(Role.EXPERT, username="judge_e2e", real_name="独立评委")
    services.session_add_judge(session=session, judge=judge, actor=committee)
    return {"event": event, "session": session, "hd": hd, "cy": cy, "judge": judge}


def test_finalist_confirms_attendance_and_sees_task_on_phone(
    phone, live_server, browser_login, final, roles
):
    task = OnsiteTask.objects.create(
        session=final["session"], title="设计一张海报", statement="用 AI 设计中轴线海报。"
    )
    services.task_release(task=task, actor=roles["committee"])
    browser_login(phone, live_server, "student_a")
    phone.goto(f"{live_server.url}/final/my/")
    expect(phone.get_by_role("heading", name=re.compile("海淀决赛作品"))).to_be_visible()
    phone.get_by_role("button", name="确认参加").click()
    expect(phone.get_by_text("已确认参加终评。")).to_be_visible()
    expect(phone.get_by_test_id("attendance")).to_have_text("已确认参加")
    expect(phone.get_by_role("img", name="签到二维码")).to_be_visible()
    # the session kind is already in its title: not repeated in brackets
    expect(phone.get_by_text("AI 艺术创作 初中组 展示答辩 · A101")).to_be_visible()
    phone.get_by_role("link", name="设计一张海报").click()
    expect(phone.get_by_text("用 AI 设计中轴线海报。")).to_be_visible()
    phone.get_by_label("答案或说明").fill("我的海报说明")
    phone.get_by_role("button", name="提交结果").click()
    expect(phone.get_by_text("您的结果已提交。")).to_be_visible()
    assert task.submissions.get().text == "我的海报说明"
    assert FinalistAttendance.objects.get(work=final["hd"]).status == Attendance.CONFIRMED


def test_committee_adds_session_checks_in_and_publishes_results(
    page, live_server, browser_login, final, roles
):
    judge, session = final["judge"], final["session"]
    for work in (final["hd"], final["cy"]):
        dims = list(work.category.rubric.all())
        for kind in (ScoreKind.PRESENTATION, ScoreKind.TASK):
            value = 9 if work == final["hd"] else 6
            services.score_save(
                judge=judge,
                session=session,
                work=work,
                kind=kind,
                values={str(d.pk): value for d in dims},
                client_uuid=uuid.uuid4(),
            )
    browser_login(page, live_server, "committee")
    page.goto(f"{live_server.url}/final/manage/")
    expect(page.get_by_role("heading", name="线下终评")).to_be_visible()
    page.locator("summary", has_text="添加场次").click()
    page.get_by_label("场次类型").select_option("public_display")
    page.get_by_label("场次名称").fill("优秀作品公众展示")
    page.get_by_label(re.compile("^场地")).fill("一层展厅")
    page.get_by_label("开始时间").fill("2026-07-10T09:00")
    page.get_by_label("结束时间").fill("2026-07-10T11:00")
    page.get_by_role("button", name="添加场次").click()
    expect(page.get_by_text("场次已添加。")).to_be_visible()

    code = FinalistAttendance.objects.get(work=final["cy"]).checkin_code
    page.goto(f"{live_server.url}/final/manage/checkin/?code={code}")
    page.get_by_role("button", name="签到").click()
    expect(page.get_by_test_id("checkin-result")).to_contain_text("朝阳决赛作品")

    page.goto(f"{live_server.url}/final/manage/results/")
    page.get_by_role("button", name="计算成绩").click()
    expect(page.get_by_text("成绩已计算。")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("海淀决赛作品"))).to_contain_text("五星作品")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="审核通过并锁定").click()
    expect(page.get_by_test_id("results-status")).to_have_text("已锁定")
    confirm_award_list(final["event"])  # the award list's publicity is over and confirmed
    page.reload()
    expect(page.get_by_test_id("award-list-status")).to_contain_text("获奖名单已确认生效")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="发布成绩").click()
    expect(page.get_by_test_id("results-status")).to_have_text("已发布")
    final["hd"].refresh_from_db()
    assert final["hd"].state == WorkState.AWARDED

    page.goto(f"{live_server.url}/final/results/")
    expect(page.get_by_role("row", name=re.compile("海淀决赛作品"))).to_contain_text("五星作品")


def test_organizer_generates_unit_certificates_zip(
    page, live_server, browser_login, final, roles, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    committee = roles["committee"]
    dims = list(final["hd"].category.rubric.all())
    for work in (final["hd"], final["cy"]):
        for kind in (ScoreKind.PRESENTATION, ScoreKind.TASK):
            services.score_save(
                judge=final["judge"],
                session=final["session"],
                work=work,
                kind=kind,
                values={str(d.pk): 8 for d in dims},
                client_uuid=uuid.uuid4(),
            )
    services.results_compute(event=final["event"], actor=committee)
    event = services.results_lock(event=final["event"], actor=committee)
    publish_results(event, committee)

    browser_login(page, live_server, "org_hd")
    page.goto(f"{live_server.url}/final/certificates/")
    expect(page.get_by_role("heading", name="证书")).to_be_visible()
    expect(page.get_by_text("海淀决赛作品")).to_be_visible()
    expect(page.get_by_text("朝阳决赛作品")).to_have_count(0)
    page.get_by_role("button", name="生成 ZIP").click()
    expect(page.get_by_text("证书生成已开始。")).to_be_visible()
    expect(page.get_by_test_id("batch")).to_contain_text("1/1")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 ZIP").click()
    assert download.value.suggested_filename == "certificates-HD.zip"
    assert CertificateBatch.objects.get().unit.code == "HD"


def test_committee_builds_a_session_releases_task_and_prints_sheets(
    page, live_server, browser_login, final, roles, units
):
    session = final["session"]
    extra = make_finalist(final["event"].edition, school=units["hd_school2"], title="新增决赛作品")
    people.staff(Role.EXPERT, username="hd_expert", unit=units["hd"], real_name="海淀专家")
    browser_login(page, live_server, "committee")
    page.goto(f"{live_server.url}/final/manage/session/{session.pk}/")
    expect(page.get_by_role("heading", name=session.title)).to_be_visible()

    page.locator("#id_participant-work").select_option(str(extra.pk))
    page.get_by_role("button", name="添加入围作品").click()
    expect(page.get_by_role("row", name=re.compile("新增决赛作品"))).to_be_visible()

    page.get_by_label("评委").select_option(label="海淀专家")
    page.get_by_role("button", name="添加评委").click()
    expect(page.get_by_text("存在利益冲突")).to_be_visible()

    page.locator("summary", has_text="添加任务").click()
    page.get_by_label("任务名称").fill("现场设计一个智能体")
    page.get_by_label("任务说明").fill("60 分钟内完成。")
    page.get_by_role("button", name="添加任务").click()
    expect(page.get_by_text("发布前对选手隐藏")).to_be_visible()
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="立即发布").click()
    expect(page.get_by_text("任务已发布，选手开始计时。")).to_be_visible()

    page.locator("summary", has_text="为选手延时").click()
    page.locator("#id_ext-work").select_option(str(extra.pk))
    page.get_by_label("延长分钟数").fill("10")
    page.get_by_label("原因").fill("设备故障")
    page.get_by_role("button", name="延时", exact=True).click()
    expect(page.get_by_text("已保存。")).to_be_visible()
    task = OnsiteTask.objects.get(session=session)
    assert task.extensions.get().reason == "设备故障"

    page.goto(f"{live_server.url}/final/manage/schedule/")
    expect(page.get_by_role("heading", name=re.compile("日程"))).to_be_visible()
    expect(page.get_by_text("新增决赛作品")).to_be_visible()
    page.goto(f"{live_server.url}/final/manage/session/{session.pk}/signin/")
    expect(page.get_by_role("heading", name=re.compile("签到表"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("新增决赛作品"))).to_be_visible()


def test_committee_corrects_a_published_star_level_with_a_reason(
    page, live_server, browser_login, final, roles
):
    committee = roles["committee"]
    dims = list(final["hd"].category.rubric.all())
    for work, value in ((final["hd"], 9), (final["cy"], 5)):
        for kind in (ScoreKind.PRESENTATION, ScoreKind.TASK):
            services.score_save(
                judge=final["judge"],
                session=final["session"],
                work=work,
                kind=kind,
                values={str(d.pk): value for d in dims},
                client_uuid=uuid.uuid4(),
            )
    services.results_compute(event=final["event"], actor=committee)
    event = services.results_lock(event=final["event"], actor=committee)
    publish_results(event, committee)
    old = Certificate.objects.get(work=final["hd"])
    assert old.award == "五星作品"

    browser_login(page, live_server, "committee")
    page.goto(f"{live_server.url}/final/manage/results/")
    page.get_by_label("获奖作品").select_option(str(final["hd"].pk))
    page.get_by_label("更正后的星级").select_option("four")
    page.get_by_label("更正原因").fill("复核发现评分录入错误。")
    page.get_by_role("button", name="更正", exact=True).click()
    expect(page.get_by_text("已更正：原证书已作废，并已颁发新证书。")).to_be_visible()
    old.refresh_from_db()
    new = Certificate.objects.get(work=final["hd"], revoked_at__isnull=True)
    assert (old.revoked_at is not None, new.award, new.code != old.code) == (True, "四星作品", True)
    page.goto(f"{live_server.url}/final/verify/{old.code}/")
    expect(page.get_by_test_id("verify-result")).to_have_text("未找到")
    page.goto(f"{live_server.url}/final/verify/{new.code}/")
    expect(page.get_by_test_id("verify-result")).to_contain_text("四星作品")
