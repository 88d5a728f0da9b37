"""Playwright: the committee opens a feedback survey; a teacher answers it once."""

import pytest
from playwright.sync_api import expect

from gongchuang.reports import surveys
from gongchuang.reports.models import Survey, SurveyResponse

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_committee_opens_and_teacher_answers_survey(
    page, live_server, browser_login, edition, roles
):
    surveys.surveys_ensure(edition=edition, actor=roles["committee"])
    survey = Survey.objects.get(edition=edition, audience="teachers")

    browser_login(page, live_server, "committee")
    page.wait_for_url(f"{live_server.url}/accounts/dashboard/")
    page.goto(f"{live_server.url}/reports/surveys/")
    page.get_by_test_id("survey-teachers").get_by_role("link").click()
    page.get_by_label("题型").select_option("text")
    page.get_by_label("题目").fill("您最喜欢哪个环节？")
    page.get_by_role("button", name="增加", exact=True).click()
    expect(page.get_by_text("题目已添加。")).to_be_visible()
    page.get_by_role("button", name="开放问卷").click()
    expect(page.get_by_text("问卷已开放。")).to_be_visible()

    page.context.clear_cookies()
    browser_login(page, live_server, "teacher_a")
    page.wait_for_url(f"{live_server.url}/accounts/dashboard/")
    page.get_by_test_id("survey-panel").get_by_role("link", name=survey.title).click()
    for question in survey.questions.filter(kind="likert"):
        page.get_by_role("group", name=question.text).get_by_label("4").check()
    page.get_by_label("您最喜欢哪个环节？").fill("现场任务挑战")
    page.get_by_role("button", name="提交我的回答").click()
    expect(page.get_by_text("谢谢！您的回答已记录。")).to_be_visible()
    expect(page.get_by_test_id("survey-done")).to_be_visible()
    [response] = SurveyResponse.objects.filter(survey=survey)
    assert response.respondent == roles["teacher"]
    assert sorted(
        (a.value or a.text for a in response.answers.all() if a.value or a.text), key=str
    ) == sorted([4, 4, 4, "现场任务挑战"], key=str)
