"""Words that fit the role (issue 20, item 4): a teacher's submit confirmation speaks of
teaching cases, a student who submitted is not offered a new work, deadlines show dates
and whole days (no clock ticking in seconds)."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from gongchuang.common.templatetags.deadlines import days_left
from gongchuang.submissions import services

from .helpers import art_draft, complete_art_work

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user, backend="gongchuang.accounts.backends.UsernameEmailMobileBackend")
    return client


def confirmation(body: str) -> str:
    match = re.search(r'<form [^>]*data-confirm="([^"]*)" data-testid="submit-form"', body)
    assert match, "no submit form"
    return html.unescape(match.group(1))


def test_teacher_submit_confirmation_speaks_of_the_case_and_its_authors(client, edition, roles):
    case = services.work_create(
        actor=roles["teacher"],
        edition=edition,
        category=edition.categories.get(code="teaching_case"),
        title="用 AI 认识数据",
        abstract="简介",
    )
    body = login(client, roles["teacher"]).get(case.get_absolute_url()).content.decode()
    assert confirmation(body) == (
        "确定提交该教学案例吗？每个案例最多 2 名作者（均须为教师），"
        "提交后除非被退回修改，否则不能再更改。"
    )
    assert "每名学生" not in body
    assert "教学案例不设指导教师" in body


def test_student_submit_confirmation_keeps_the_one_work_rule(client, edition, roles):
    work = art_draft(edition, roles["student"])
    body = login(client, roles["student"]).get(work.get_absolute_url()).content.decode()
    assert confirmation(body).startswith("确定提交该作品吗？每名学生每届只能提交一个作品")


def test_no_new_work_is_offered_once_the_student_has_submitted(client, edition, roles):
    student = roles["student"]
    work = complete_art_work(edition, student)
    page = login(client, student).get(reverse("submissions:my_works")).content.decode()
    assert 'data-testid="new-work"' in page  # a draft does not use the one work yet

    services.work_submit(work=work, actor=student)
    page = client.get(reverse("submissions:my_works")).content.decode()
    assert 'data-testid="new-work"' not in page
    assert ">创建新作品</a>" not in page
    assert "您已提交本届作品《水墨北京》" in page
    assert f'<a href="{work.get_absolute_url()}">查看我的作品</a>' in page

    response = client.get(reverse("submissions:work_create"))
    assert response.status_code == 302
    assert response.url == reverse("submissions:my_works")


def test_a_withdrawn_work_frees_the_new_work_link_again(client, edition, roles):
    student = roles["student"]
    work = complete_art_work(edition, student)
    services.work_submit(work=work, actor=student)
    services.work_withdraw(work=work, actor=student)
    page = login(client, student).get(reverse("submissions:my_works")).content.decode()
    assert 'data-testid="new-work"' in page
    assert "您已提交本届作品" not in page


def test_deadlines_show_the_date_and_whole_days_without_a_ticking_clock(client, edition, roles):
    body = login(client, roles["student"]).get(reverse("submissions:my_works")).content.decode()
    window = edition.window("submission")
    shown = timezone.localtime(window.closes_at).strftime("%Y-%m-%d %H:%M")
    assert f">{shown}</time>" in body
    assert re.search(r"（(还剩 \d+ 天|今天截止)）", body)
    assert "data-countdown" not in body
    assert "秒" not in body


@pytest.mark.parametrize(
    ("deadline", "expected"),
    [
        (datetime.datetime(2026, 5, 1, 9, 0), "已截止"),
        (datetime.datetime(2026, 5, 1, 23, 0), "今天截止"),
        (datetime.datetime(2026, 5, 2, 8, 0), "还剩 1 天"),
        (datetime.datetime(2026, 5, 11, 17, 0), "还剩 10 天"),
    ],
)
def test_days_left_counts_calendar_days(deadline, expected, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    now = timezone.make_aware(datetime.datetime(2026, 5, 1, 10, 0))
    from django.utils import translation

    with translation.override("zh-hans"):
        assert days_left(timezone.make_aware(deadline), now=now) == expected


def test_each_material_names_its_file_types_in_words(client, edition, roles):
    work = art_draft(edition, roles["student"])
    body = login(client, roles["student"]).get(work.get_absolute_url()).content.decode()
    assert (
        "文件类型：图片（PNG、JPG、WebP、GIF）、视频（MP4、MOV、WebM）、音频（MP3、WAV、M4A、OGG、FLAC）；"
        "不超过 500.0 MB。" in body.replace("\xa0", " ")
    )


def test_a_teaching_case_lists_authors_without_advisors(client, edition, roles):
    case = services.work_create(
        actor=roles["teacher"],
        edition=edition,
        category=edition.categories.get(code="teaching_case"),
        title="用 AI 认识数据",
        abstract="简介",
    )
    body = login(client, roles["teacher"]).get(case.get_absolute_url()).content.decode()
    assert "每个教学案例最多 2 名作者（均须为教师），不设指导教师。" in body
    assert "指导教师。</p>" not in body.replace("不设指导教师。</p>", "")
    assert "作者与指导教师" not in body
