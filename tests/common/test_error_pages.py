"""Error pages: Chinese by default, English after the language switch, in the site layout,
saying what happened and where to go next; never a traceback or Django's default text."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

TITLES = {
    400: ("请求无法处理", "The request could not be understood"),
    403: ("您没有权限访问此页面", "You may not open this page"),
    404: ("页面没有找到", "Page not found"),
    405: ("无法以这种方式使用此页面", "This page cannot be used this way"),
    500: ("服务器出错了", "Something went wrong on our side"),
}
DJANGO_DEFAULTS = (
    "Not Found", "Forbidden", "Bad Request", "Server Error", "CSRF verification failed",
    "Traceback", "secret", "requested resource",
)  # fmt: skip


@pytest.fixture(autouse=True)
def _production_like(settings):
    settings.DEBUG = False
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    settings.ROOT_URLCONF = "tests.common.error_urls"


def _client(language: str) -> Client:
    client = Client(raise_request_exception=False)
    if language == "en":
        client.cookies["django_language"] = "en"
    return client


def _get(client, status: int):
    if status == 400:
        return client.get("/test-errors/400/")
    if status == 403:
        return client.get("/test-errors/403/")
    if status == 404:
        return client.get("/no-such-page/")
    if status == 405:
        return client.get(reverse("accounts:logout"))  # POST only
    return client.get("/test-errors/500/")


def assert_error_page(response, status: int, language: str):
    body = response.content.decode()
    title = TITLES[status][0 if language == "zh" else 1]
    assert response.status_code == status
    assert f"<h1>{title}</h1>" in body
    assert f"<title>{title} · " in body
    assert 'data-testid="error-home"' in body and 'href="/"' in body
    assert ("错误代码" if language == "zh" else "Error code") in body
    assert 'class="site-header"' in body
    for text in DJANGO_DEFAULTS:
        assert text not in body, text
    return body


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("status", [400, 403, 404, 405, 500])
def test_each_error_page_in_both_languages(db, status, language):
    response = _get(_client(language), status)
    body = assert_error_page(response, status, language)
    html_lang = 'lang="zh-CN"' if language == "zh" else 'lang="en"'
    assert html_lang in body
    site_layout = status != 500  # the 500 page needs nothing: no database, no user, no forms
    assert ('name="language"' in body) == site_layout  # the language switch
    assert ('id="site-nav"' in body) == site_layout


def test_405_keeps_the_allow_header(db):
    response = _client("zh").get(reverse("accounts:logout"))
    assert response["Allow"] == "POST, OPTIONS"


def test_a_405_with_a_body_of_its_own_is_left_alone(db):
    from django.http import HttpResponseNotAllowed

    from gongchuang.common.middleware import MethodNotAllowedPageMiddleware

    own = HttpResponseNotAllowed(["POST"], content=b'{"error": "POST only"}')
    middleware = MethodNotAllowedPageMiddleware(lambda request: own)
    assert middleware(object()) is own


def test_403_for_anonymous_offers_login_with_next(db):
    body = assert_error_page(_client("zh").get("/test-errors/403/"), 403, "zh")
    assert "此页面仅对已登录用户开放" in body
    assert f'href="{reverse("accounts:login")}?next=%2Ftest-errors%2F403%2F"' in body
    assert "登录后重试" in body


def test_403_from_a_view_for_a_signed_in_user(roles):
    client = _client("zh")
    client.force_login(roles["student"])
    body = assert_error_page(client.get(reverse("accounts:staff_import")), 403, "zh")
    assert "您的账号无权查看此页面或进行此操作" in body
    assert "登录后重试" not in body
    assert roles["student"].display_name in body  # the site layout, signed in
    assert f'href="{reverse("accounts:dashboard")}"' in body


def test_404_from_get_object_or_404_in_a_view(roles):
    client = _client("zh")
    client.force_login(roles["student"])
    response = client.get(reverse("submissions:work_detail", args=[999999]))
    body = assert_error_page(response, 404, "zh")
    assert "此网址没有对应的页面" in body


def test_back_link_only_to_a_page_of_this_site(db):
    client = _client("zh")
    body = client.get("/no-such-page/", HTTP_REFERER="http://testserver/notices/?page=2").text
    assert 'href="/notices/?page=2" data-testid="error-back"' in body
    for referer in ("https://evil.example/x", "http://testserver//evil.example/", "javascript:x"):
        body = client.get("/no-such-page/", HTTP_REFERER=referer).text
        assert 'data-testid="error-back"' not in body, referer


def test_help_contact_and_guide_are_shown(db, settings):
    settings.HELP_CONTACT = "组委会办公室 010-12345678"
    body = _client("zh").get("/no-such-page/").text
    assert f'请阅读<a href="{reverse("portal:guide")}">活动指南</a>' in body
    assert "联系方式：组委会办公室 010-12345678" in body


def test_csrf_failure_is_a_chinese_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    body = response.text
    assert "<h1>表单已失效</h1>" in body and "您填写的内容尚未保存" in body
    assert 'data-testid="csrf-failure"' in body and 'class="site-header"' in body
    assert "CSRF verification failed" not in body and "Forbidden" not in body


def test_csrf_failure_in_english(db):
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = "en"
    body = client.post(reverse("accounts:login"), {"username": "x"}).text
    assert "<h1>The form has expired</h1>" in body


def test_400_before_the_user_is_known_falls_back_to_the_plain_layout(db):
    # An invalid Host header fails in CommonMiddleware, before AuthenticationMiddleware: no
    # request.user, so the site layout cannot render; the plain one still says what happened.
    response = _client("zh").get("/", HTTP_HOST="bad host!")
    body = response.content.decode()
    assert response.status_code == 400
    assert "<h1>请求无法处理</h1>" in body and 'class="site-header"' in body
    assert 'name="language"' not in body


def test_500_page_renders_when_context_processors_fail(db, monkeypatch):
    from gongchuang.common import context_processors

    def broken(request):
        raise RuntimeError("context processor down")

    monkeypatch.setattr(context_processors, "site", broken)
    body = assert_error_page(_client("zh").get("/test-errors/500/"), 500, "zh")
    assert "您已保存的内容不会丢失" in body


def test_404_page_renders_when_context_processors_fail(db, monkeypatch):
    from gongchuang.common import context_processors

    def broken(request):
        raise RuntimeError("context processor down")

    monkeypatch.setattr(context_processors, "site", broken)
    response = _client("zh").get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404 and "<h1>页面没有找到</h1>" in body
    assert 'name="language"' not in body  # the plain layout


def test_language_switch_on_the_404_page_shows_it_in_english(db):
    client = _client("zh")
    assert "<h1>页面没有找到</h1>" in client.get("/no-such-page/").text
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/no-such-page/"}, follow=True
    )
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.text


def test_axes_lockout_is_the_chinese_page_in_the_layout(roles, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client = _client("zh")
    for _ in range(2):
        client.post(reverse("accounts:login"), {"username": "student_a", "password": "wrong"})
    response = client.post(
        reverse("accounts:login"), {"username": "student_a", "password": PASSWORD}
    )
    body = response.content.decode()
    assert response.status_code == 429
    assert "账号已暂时锁定" in body and 'class="site-header"' in body
    assert "Account locked" not in body
