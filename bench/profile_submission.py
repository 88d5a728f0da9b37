"""Profile the student submission flow in-process (no network), the hot path of ``submission``.

Usage: ``GONGCHUANG_VAR_DIR=<bench var dir> [DATABASE_URL=…] .venv/bin/python
bench/profile_submission.py [--n 40] [--no-profile] [--queries]`` on an instance built like
``./scripts/bench`` builds one (``/tmp/gongchuang-bench-sqlite`` or ``-postgresql``).

Runs the same six requests per student as the benchmark (new-work form, create, three uploads
of which one is the 2 MB PNG, submit) through Django's WSGI handler as gunicorn calls it —
every middleware, cookies and CSRF tokens included, none of the test client's instrumentation
— after three warm-up submissions. Prints pyinstrument's profile, then the mean CPU
milliseconds per submission and per step, the queries per submission and, on PostgreSQL, the
database server's CPU per submission. Each run uses students created for it (copies of
``benchstu000``), so it can be run again and again.
"""

import argparse
import io
import os
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

# What the login form records for a student (accounts.kept_users keeps people signed in so).
LOGIN_BACKEND = "gongchuang.accounts.backends.UsernameEmailMobileBackend"


def _fresh_students(count: int):
    """``count`` new junior students shaped like the benchmark's ``benchstuNNN`` (no work yet)."""
    import secrets

    from gongchuang.accounts.models import Membership, StudentProfile, User

    template = StudentProfile.objects.select_related("user").get(user__username="benchstu000")
    tag = secrets.token_hex(3)
    users = User.objects.bulk_create(
        [
            User(
                username=f"prof{tag}{i:03d}", password=template.user.password, real_name=f"剖析{i}"
            )
            for i in range(count)
        ]
    )
    for user in users:
        StudentProfile.objects.create(
            user=user, level=template.level, unit=template.unit, school=template.school,
            grade=template.grade, birth_date=template.birth_date,
            identity_key=f"prof-{user.username}",
        )  # fmt: skip
        Membership.objects.create(
            user=user, role="student", unit=template.unit, school=template.school
        )
    return users


class WsgiBrowser:
    """One signed-in student talking to the WSGI application directly, keeping cookies."""

    def __init__(self, app, user, steps: dict):
        from django.test import Client

        signed_in = Client()
        signed_in.force_login(user, backend=LOGIN_BACKEND)
        self.cookies = {name: morsel.value for name, morsel in signed_in.cookies.items()}
        self.app, self.steps = app, steps

    def request(self, method: str, path: str, step: str, body: bytes = b"", content_type=""):
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1:8000",
            "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr, "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": content_type,
            "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }  # fmt: skip
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"], answer["headers"] = int(status[:3]), headers

        started = time.process_time()
        answer["body"] = b"".join(self.app(environ, start_response))
        self.steps[step] = self.steps.get(step, 0.0) + time.process_time() - started
        for name, value in answer["headers"]:
            if name.lower() == "set-cookie":
                cookie = SimpleCookie()
                cookie.load(value)
                self.cookies.update({key: morsel.value for key, morsel in cookie.items()})
        answer["location"] = dict(answer["headers"]).get("Location", "")
        return answer


def _submit(browser: WsgiBrowser, files: dict) -> None:
    from bench.run import ART_OPTION, CSRF
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    form = browser.request("GET", "/works/new/", "GET form")
    assert form["status"] == 200, form["status"]
    html = form["body"].decode()
    token, category = CSRF.search(html).group(1), ART_OPTION.search(html).group(1)
    fields = {
        "csrfmiddlewaretoken": token, "category": category, "title": "智能校园垃圾分类画",
        "abstract": "用人工智能工具创作的一幅关于垃圾分类的画。", "keywords": "AI绘画，垃圾分类",
        "ai_tool_list": "wenxin", "ai_tools": "文心一格", "ai_generated": "画面由 AI 生成。",
        "ai_contribution": "构图和修改是我自己完成的。",
        "ai_process": "", "link": "", "originality_pledge": "on", "showcase_consent": "on",
    }  # fmt: skip
    urlencoded = "application/x-www-form-urlencoded"
    created = browser.request(
        "POST", "/works/new/", "POST create", urlencode(fields).encode(), urlencoded
    )
    assert created["status"] == 302, created["body"][:2000]
    work_url = created["location"]
    for slot, (name, body, mime) in files.items():
        upload = SimpleUploadedFile(name, body, content_type=mime)
        multipart = encode_multipart(
            BOUNDARY, {"csrfmiddlewaretoken": token, "slot": slot, "file": upload}
        )
        uploaded = browser.request(
            "POST", f"{work_url}files/", f"upload {slot}", multipart, MULTIPART_CONTENT
        )
        assert uploaded["status"] == 302, uploaded["status"]
    submitted = browser.request(
        "POST", f"{work_url}submit/", "POST submit",
        urlencode({"csrfmiddlewaretoken": token}).encode(), urlencoded,
    )  # fmt: skip
    assert submitted["location"].endswith("/receipt/"), submitted["status"]


def _database_server_cpu():
    """A callable giving this connection's PostgreSQL backend CPU seconds (0 on SQLite)."""
    import psutil
    from django.db import connection

    if connection.vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = psutil.Process(cursor.fetchone()[0])
    return lambda: sum(backend.cpu_times()[:2])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--queries", action="store_true", help="print the SQL of one submission")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from bench.run import _png_2mb, _small_pdf
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from pyinstrument import Profiler

    files = {
        "artwork": ("作品.png", _png_2mb(), "image/png"),
        "statement": ("statement.pdf", _small_pdf("Statement"), "application/pdf"),
        "process": ("process.pdf", _small_pdf("Process"), "application/pdf"),
    }
    app, steps = WSGIHandler(), {}
    browsers = [WsgiBrowser(app, user, steps) for user in _fresh_students(args.n + 4)]
    for _ in range(3):  # warm-up: imports, templates, first queries, cached fragments
        _submit(browsers.pop(), files)
    statements = []  # an execute wrapper: Django empties connection.queries at each request

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        _submit(browsers.pop(), files)
    if args.queries:
        for sql in statements:
            print(sql[:300])
    steps.clear()
    profiler = Profiler(interval=0.0005)
    database_cpu = _database_server_cpu()
    database_before, cpu = database_cpu(), time.process_time()
    if not args.no_profile:
        profiler.start()
    for browser in browsers:
        _submit(browser, files)
    if not args.no_profile:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    n = len(browsers)
    per = (time.process_time() - cpu) * 1000 / n
    print(f"{n} submissions: {per:.1f} ms CPU per submission (6 requests)", end="")
    print(f"{' with the profiler' if not args.no_profile else ''}; by step:")
    for step, seconds in steps.items():
        print(f"  {step:20s} {seconds * 1000 / n:6.1f} ms")
    print(f"{len(statements)} queries per submission", end="")
    print(f"; database server: {(database_cpu() - database_before) * 1000 / n:.1f} ms CPU each")


if __name__ == "__main__":
    main()
