"""Profile the student submission flow in-process (no network), the hot path of ``submission``.

Usage: ``GONGCHUANG_VAR_DIR=<bench var dir> .venv/bin/python bench/profile_submission.py [--n 20]``
on an instance built like ``./scripts/bench`` builds one. Runs the same six requests per
student as the benchmark (new-work form, create, three uploads of which one is the 2 MB
PNG, submit) through Django's test client, prints pyinstrument's profile and the mean CPU
milliseconds per submission (after one warm-up submission). Each run uses students created
for it (copies of ``benchstu000``), so it can be run again and again.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--queries", action="store_true", help="print the SQL of one submission")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from bench.run import _png_2mb, _small_pdf
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from pyinstrument import Profiler

    from gongchuang.editions.models import Category

    png = _png_2mb()
    pdfs = {"statement": _small_pdf("Statement"), "process": _small_pdf("Process")}
    users = _fresh_students(args.n + 2)
    category = None

    def submit(client: Client) -> None:
        nonlocal category
        assert client.get("/works/new/").status_code == 200
        if category is None:
            category = Category.objects.filter(code="ai_art").order_by("-pk").first().pk
        created = client.post(
            "/works/new/",
            {
                "category": category,
                "title": "智能校园垃圾分类画",
                "abstract": "用人工智能工具创作的一幅关于垃圾分类的画。",
                "keywords": "AI绘画，垃圾分类",
                "ai_tools": "文心一格",
                "ai_generated": "画面由 AI 生成，构图和修改是我自己完成的。",
                "originality_pledge": "on",
                "showcase_consent": "on",
            },
        )
        assert created.status_code == 302, created.content.decode()[:2000]
        url = created.headers["location"]
        files = {"artwork": ("作品.png", png, "image/png")}
        files |= {slot: (f"{slot}.pdf", body, "application/pdf") for slot, body in pdfs.items()}
        for slot, (name, body, mime) in files.items():
            upload = SimpleUploadedFile(name, body, content_type=mime)
            response = client.post(f"{url}files/", {"slot": slot, "file": upload})
            assert response.status_code == 302, response.content.decode()[:2000]
        response = client.post(f"{url}submit/")
        assert response.headers["location"].endswith("/receipt/"), response.status_code

    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    submit(clients.pop(0))  # warm-up: imports, template loading, first queries
    if args.queries:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            submit(clients.pop(0))
        for query in captured.captured_queries:
            print(query["sql"][:300])
        print(f"{len(captured.captured_queries)} queries for one submission")
        return
    profiler = Profiler(interval=0.0005)
    cpu = time.process_time()
    if not args.no_profile:
        profiler.start()
    for client in clients:
        submit(client)
    if not args.no_profile:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    per = (time.process_time() - cpu) * 1000 / len(clients)
    print(f"{len(clients)} submissions: {per:.1f} ms CPU per submission (6 requests)")


if __name__ == "__main__":
    main()
