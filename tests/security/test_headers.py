"""Security headers, no inline script/style in the main pages, safe file downloads, cookie flags."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from gongchuang.submissions import services as work_services
from tests.submissions.helpers import complete_art_work, png_bytes

ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I
)
STYLE_ATTR = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def work(edition, roles):
    return complete_art_work(edition, roles["student"])


@pytest.fixture
def pages(roles, work):
    """(who, url) for the main pages of every role."""
    return [
        (None, reverse("portal:home")),
        (None, reverse("portal:notice_list")),
        (None, reverse("portal:showcase")),
        (None, reverse("portal:results")),
        (None, reverse("accounts:login")),
        (None, reverse("accounts:register_student")),
        (None, reverse("finals:verify_form")),
        (roles["student"], reverse("accounts:dashboard")),
        (roles["student"], reverse("submissions:my_works")),
        (roles["student"], reverse("submissions:work_detail", args=[work.pk])),
        (roles["student"], reverse("submissions:work_edit", args=[work.pk])),
        (roles["student"], reverse("notifications:inbox")),
        (roles["coordinator"], reverse("submissions:school_works")),
        (roles["organizer"], reverse("screening:unit_queue")),
        (roles["organizer"], reverse("reports:dashboard")),
        (roles["committee"], reverse("screening:city_queue")),
        (roles["committee"], reverse("judging:home")),
        (roles["committee"], reverse("portal:notice_create")),
        (roles["committee"], reverse("common:audit_log")),
        (roles["expert"], reverse("judging:pledge")),
    ]


def test_csp_header_forbids_inline_script_on_main_pages(pages):
    for user, url in pages:
        response = _client(user).get(url)
        assert response.status_code == 200, url
        csp = response.headers.get("Content-Security-Policy", "")
        directives = dict(
            ([*part.strip().split(" ", 1), ""])[:2] for part in csp.split(";") if part.strip()
        )
        assert "script-src" in directives, url
        assert "'unsafe-inline'" not in directives["script-src"], url
        assert "'unsafe-eval'" not in directives["script-src"], url
        assert "'unsafe-inline'" not in directives.get("style-src", ""), url
        assert "'none'" in directives.get("object-src", ""), url
        assert "'none'" in directives.get("frame-ancestors", ""), url
        assert response.headers.get("X-Content-Type-Options") == "nosniff", url
        assert response.headers.get("X-Frame-Options") == "DENY", url
        assert response.headers.get("Referrer-Policy") == "same-origin", url


def test_no_inline_script_bodies_or_style_attributes(pages):
    offenders = []
    for user, url in pages:
        html = _client(user).get(url).content.decode()
        offenders += [f"{url}: {m.group(0)[:80]}" for m in INLINE_SCRIPT.finditer(html)]
        offenders += [f"{url}: {m.group(0)[:80]}" for m in STYLE_ATTR.finditer(html)]
    assert not offenders, "\n".join(offenders)


def test_the_inline_checks_catch_offenders():
    """The patterns used above do find what they must (a check that cannot fail is no check)."""
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert INLINE_SCRIPT.search('<script type="module">x()</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/js/app.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script type="application/json">{}</script>')
    assert STYLE_ATTR.search('<div class="x" style="color:red">')
    assert not STYLE_ATTR.search("<p>style= in text</p>")


def test_work_file_download_is_an_attachment_with_nosniff(roles, work):
    client = _client(roles["student"])
    for work_file in work.files.all():
        for name in ("submissions:file_download", "screening:work_file"):
            kwargs = (
                {"file_pk": work_file.pk}
                if name.startswith("submissions")
                else {"pk": work_file.pk}
            )
            response = client.get(reverse(name, kwargs=kwargs))
            assert response.status_code == 200, name
            assert response.headers["X-Content-Type-Options"] == "nosniff", name
            disposition = response.headers["Content-Disposition"]
            if name == "submissions:file_download" or work_file.kind not in (
                "image",
                "video",
                "pdf",
            ):
                assert disposition.startswith("attachment"), (name, work_file.kind, disposition)
            else:
                assert disposition.startswith("inline"), (name, work_file.kind, disposition)
            b"".join(response.streaming_content)


def test_html_disguised_as_image_is_never_served_inline(roles, work, edition):
    """Even if an HTML file were stored under an image slot, it downloads as an attachment."""
    from tests.screening.factories import attach

    html = b"<html><script>alert(document.cookie)</script></html>"
    bad = attach(work, slot="artwork", data=html, name="x.html", kind="zip", mime="text/html")
    response = _client(roles["student"]).get(reverse("screening:work_file", kwargs={"pk": bad.pk}))
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    b"".join(response.streaming_content)


def test_upload_of_script_disguised_as_png_is_refused(roles, edition):
    from gongchuang.common.errors import DomainError
    from tests.submissions.helpers import art_draft

    draft = art_draft(edition, roles["student"])
    with pytest.raises(DomainError):
        work_services.workfile_store(
            work=draft, slot="artwork", fileobj=io.BytesIO(b"<svg onload=alert(1)></svg>"),
            name="cat.png", actor=roles["student"],
        )  # fmt: skip
    work_services.workfile_store(
        work=draft, slot="artwork", fileobj=io.BytesIO(png_bytes()), name="cat.png",
        actor=roles["student"],
    )  # fmt: skip
    assert draft.files.count() == 1


def test_production_cookies_are_secure_and_hsts_is_on(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "false",
        "HTTPS": "true",
        "SECRET_KEY": "y" * 20 + "-production-secret-key-0123456789-abcdefghijklmnop",
        "ALLOWED_HOSTS": "gongchuang.example.cn",
        "GONGCHUANG_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000, "
        "s.SECURE_PROXY_SSL_HEADER is not None)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["True"] * 6


def test_login_sets_httponly_session_cookie_with_lax_samesite(roles):
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "student_a", "password": "Passw0rd2026"}
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"].lower() in ("lax", "strict")
