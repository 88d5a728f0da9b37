"""Screenshots as tests (issue 20 item 8): for every role, the pages it uses at 1366×768 and
390×844 — none scrolls sideways, none shows English in the Chinese UI, none has an axe-core
violation of serious or critical impact — and once in the English UI, whose chrome shows no
Chinese. Screenshots land in the test's tmp dir; failures name them.

The pages are the demo's (``seed_demo``, seeded once per module: see ``DemoSnapshot``). The
module tests the templates and styles, not the database: it runs on SQLite only."""

import pytest
from django.db import connection
from django.urls import reverse

from gongchuang.demo.accounts import DEMO_PASSWORD

from .screens import (
    DESKTOP,
    PHONE,
    DemoSnapshot,
    axe_violations,
    chinese_data,
    overflow,
    slug,
    wrong_language,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="the pages' look, not the database: SQLite only"
    ),
]


def _first_link(name):
    """A detail page, reached from the page listed before it: its first link to ``name``
    (see ``_resolve``)."""
    return ("first-link", name)


def _anonymous():
    from gongchuang.finals.models import Certificate

    certificate = Certificate.objects.filter(revoked_at=None).order_by("pk").first()
    return [
        reverse("portal:home"),
        reverse("portal:notice_list"),
        reverse("portal:guide"),
        reverse("portal:showcase"),
        _first_link("portal:work_detail"),
        reverse("finals:verify_form"),
        reverse("finals:verify", args=[certificate.code]),
        reverse("accounts:login"),
        reverse("accounts:register_student"),
        reverse("accounts:register_teacher"),
    ]


def _student():
    from gongchuang.reports.models import Survey
    from gongchuang.submissions.models import Work

    work = Work.objects.get(authorships__user__username="student2")
    survey = Survey.objects.order_by("pk").first()
    return [
        reverse("accounts:dashboard"),
        reverse("submissions:my_works"),
        reverse("submissions:work_detail", args=[work.pk]),
        reverse("submissions:work_edit", args=[work.pk]),
        reverse("accounts:my_data"),
        reverse("notifications:inbox"),
        reverse("reports:survey_answer", args=[survey.pk]),
    ]


def _teacher():
    from gongchuang.publicity.models import PublicityList
    from gongchuang.submissions.models import Work

    work = Work.objects.filter(authorships__user__username="teacher").order_by("pk").first()
    publicity = PublicityList.objects.order_by("-pk").first()
    return [
        reverse("accounts:dashboard"),
        reverse("submissions:my_works"),
        reverse("submissions:work_detail", args=[work.pk]),
        reverse("submissions:work_create"),
        reverse("finals:my_final"),
        reverse("finals:exchange"),
        reverse("publicity:list_index"),
        reverse("publicity:list_detail", args=[publicity.pk]),
    ]


def _coordinator():
    return [
        reverse("accounts:dashboard"),
        reverse("submissions:school_works"),
        reverse("screening:school_queue"),
        _first_link("screening:school_work"),
        reverse("accounts:people"),
        reverse("accounts:student_lookup"),
        reverse("accounts:roster_import"),
    ]


def _organizer():
    return [
        reverse("accounts:dashboard"),
        reverse("screening:unit_queue"),
        _first_link("screening:unit_work"),
        reverse("finals:certificates"),
        reverse("reports:dashboard"),
        reverse("portal:notice_manage"),
        reverse("portal:notice_create"),
        reverse("accounts:school_list"),
        reverse("accounts:school_add"),
    ]


def _committee():
    from gongchuang.editions.models import Edition
    from gongchuang.judging.models import Jury

    jury = Jury.objects.order_by("pk").first()
    edition = Edition.objects.get(is_current=True)
    return [
        reverse("accounts:dashboard"),
        reverse("screening:city_queue"),
        _first_link("screening:city_work"),
        reverse("screening:city_progress"),
        reverse("judging:home"),
        reverse("judging:experts"),
        reverse("judging:jury", args=[jury.pk]),
        reverse("judging:ranking", args=[jury.pk]),
        reverse("finals:manage_home"),
        _first_link("finals:manage_session"),
        reverse("finals:results_review"),
        reverse("publicity:manage"),
        reverse("publicity:objection_queue") + "?state=",
        _first_link("publicity:objection_detail"),
        reverse("reports:dashboard"),
        reverse("common:audit_log"),
        reverse("portal:notice_manage"),
        reverse("portal:showcase_manage"),
        reverse("accounts:school_list"),
        reverse("accounts:duplicates"),
        reverse("accounts:staff_list"),
        reverse("editions:settings", args=[edition.slug]),
        reverse("notifications:template_list"),
    ]


def _expert():
    from gongchuang.judging.models import Assignment

    assignment = Assignment.objects.filter(expert__username="expert", forbidden=False).first()
    return [
        reverse("accounts:dashboard"),
        reverse("judging:queue"),
        reverse("judging:review", args=[assignment.work_id]),
        reverse("judging:pledge"),
        reverse("finals:expert_guidance"),
    ]


def _judge():
    return [
        reverse("accounts:dashboard"),
        reverse("finals:judge_home"),
        _first_link("finals:judge_session"),
    ]


ROLES = {
    # role: (username, pages)
    "anonymous": (None, _anonymous),
    "student": ("student2", _student),
    "teacher": ("teacher", _teacher),
    "coordinator": ("coordinator", _coordinator),
    "organizer": ("organizer", _organizer),
    "committee": ("committee", _committee),
    "expert": ("expert", _expert),
    "judge": ("expert_f", _judge),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return DemoSnapshot(media=tmp_path_factory.mktemp("demo-media"))


def _login(page, url, username):
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/accounts/dashboard/")


def _resolve(page, path):
    """A ("first-link", view name) entry: the open page's first link to that view."""
    if isinstance(path, str):
        return path
    prefix = reverse(path[1], args=[0]).removesuffix("0/")
    href = page.locator(f'main a[href^="{prefix}"]').first.get_attribute("href")
    assert href, f"no link to {path[1]} on {page.url}"
    return href


def _check_pages(page, url, paths, shots, *, mode, data=()):
    """Open each page, screenshot it and return what it does wrong. In the Chinese UI the
    whole page is shot and audited with axe; the English pass checks the words only (the
    layout and markup are the same) and shoots what the window shows."""
    size = f"{page.viewport_size['width']}px-{mode}"
    problems = []
    for entry in paths:
        path = _resolve(page, entry)
        response = page.goto(url + path)
        assert response.ok, f"{path}: HTTP {response.status}"
        page.wait_for_function("!document.querySelector('.htmx-request')")
        shot = shots / f"{size}-{slug(path)}.jpg"  # JPEG: a third of PNG's encoding time
        page.screenshot(path=shot, full_page=mode == "zh", type="jpeg", quality=70)
        found = []
        if reason := overflow(page):
            found.append(f"scrolls sideways: {reason}")
        found += wrong_language(page, mode, data)
        if mode == "zh":
            found += axe_violations(page)
        problems += [f"{size} {path} [{shot.name}]: {p}" for p in found]
    return problems


@pytest.mark.parametrize("role", list(ROLES))
def test_main_pages_fit_speak_the_ui_language_and_pass_axe(
    role, demo, browser, live_server, tmp_path
):
    demo.load()
    username, pages = ROLES[role]
    paths = pages()
    url = live_server.url
    problems = []
    for viewport in (PHONE, DESKTOP):
        phone = viewport is PHONE
        # axe is injected as a script tag, which the CSP rightly forbids: bypassed for the audit.
        context = browser.new_context(
            locale="zh-CN", viewport=viewport, is_mobile=phone, has_touch=phone, bypass_csp=True
        )
        context.set_default_timeout(30_000)
        page = context.new_page()
        if username:
            _login(page, url, username)
        problems += _check_pages(page, url, paths, tmp_path, mode="zh")
        if not phone:
            # Then the English UI, through the language switch: its chrome speaks English.
            page.locator('button[name="language"][value="en"]').first.click()
            page.wait_for_function("document.documentElement.lang === 'en'")
            data = chinese_data()
            problems += _check_pages(page, url, paths, tmp_path, mode="en", data=data)
        context.close()
    assert not problems, f"{role}: screenshots in {tmp_path}\n" + "\n".join(problems)


PLANTED_ZH = """<!DOCTYPE html><html lang="zh-CN"><head><title>检查</title></head><body><main>
<h1>作品列表</h1><div id="wide" style="width:600px">很宽的一行</div>
<button>Save changes</button><button lang="en">English</button>
<p>请上传 PDF 或 xlsx 文件，可用 ChatGPT 与 Stable Diffusion；占位符 {title} 会被替换。</p>
<p>Please upload your work here.</p><label>用户名 <span translate="no">student</span></label>
<p style="color:#bbb;background:#fff">浅色文字</p></main></body></html>"""
PLANTED_EN = """<!DOCTYPE html><html lang="en"><head><title>Check</title></head><body><main>
<h1>活动指南</h1><button>提交</button><label>海淀区:</label><label>Name 李明</label>
<button lang="zh-CN">简体中文</button><input aria-label="搜索"></main></body></html>"""


def test_the_checks_catch_planted_faults(browser):
    """The checks themselves: each finds what was planted and nothing else."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_content(PLANTED_ZH)
    assert "div#wide" in overflow(page)
    assert wrong_language(page, "zh") == [
        "English: Save changes in <button>: 'Save changes'",
        "English: Please upload your work here in <p>: 'Please upload your work here.'",
    ]
    assert [v.split(" ")[0] for v in axe_violations(page)] == ["color-contrast"]
    page.set_content(PLANTED_EN)
    assert overflow(page) is None
    assert wrong_language(page, "en", ["海淀区"]) == [
        "Chinese in <button>: '提交'",
        "Chinese aria-label in <input>: '搜索'",
    ]
    context.close()
