"""What a refusal must look like: the Chinese error page in the site layout, never Django's
bare "403 Forbidden" / "Not Found" text (tests/common/test_error_pages.py tests the pages)."""

import json
import re

# status -> the page's <h1> in Chinese (the language the suite's clients use), and in English
# for a client that switched language (the fuzzer submits the language switch, too)
ERROR_TITLES = {403: "您没有权限访问此页面", 404: "页面没有找到", 405: "无法以这种方式使用此页面"}
CSRF_TITLE = "表单已失效"
ENGLISH_TITLES = {
    403: "You may not open this page",
    404: "Page not found",
    405: "This page cannot be used this way",
}
ENGLISH_CSRF_TITLE = "The form has expired"
DJANGO_DEFAULT_TEXT = ("Forbidden", "Not Found", "requested resource", "CSRF verification failed")


def error_page_problem(response) -> str | None:
    """Why a 403/404/405 answer is not the error page a person should see; None if it is.

    JSON endpoints (uploads, the judges' app, the API) answer JSON: it must parse.
    """
    status = response.status_code
    if status not in ERROR_TITLES:
        return None
    body = response.content.decode(errors="replace")
    kind = response.headers.get("Content-Type", "")
    if "json" in kind:
        try:
            json.loads(body)
        except ValueError:
            return f"{status} JSON that does not parse: {body[:80]!r}"
        return None
    csrf = 'data-testid="csrf-failure"' in body
    if '<html lang="en">' in body:
        title = ENGLISH_CSRF_TITLE if csrf else ENGLISH_TITLES[status]
    else:
        title = CSRF_TITLE if csrf else ERROR_TITLES[status]
    if "html" not in kind or f"<h1>{title}</h1>" not in body or 'href="/"' not in body:
        heading = re.search(r"<h1>(.*?)</h1>", body) or re.search(r"<title>(.*?)</title>", body)
        return f"{status} without the Chinese error page: {heading and heading[1]!r} {kind}"
    found = [text for text in DJANGO_DEFAULT_TEXT if text in body]
    return f"{status} with Django's default text {found}" if found else None
