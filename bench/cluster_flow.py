"""What the cluster rig drives through nginx, as people would through the pages.

A new student registers, creates an AI 艺术创作 work, uploads a big video in resumable
chunks (each request may land on the other app server) and the two PDFs at the same time,
checks every file by downloading it back, and submits. The district organizer recommends
the work, the demo expert submits a review, a finalist downloads a certificate whose QR
code is decoded and followed. Then the submission load of ``./scripts/bench``
(``bench/run.py``) runs against nginx in front of one app server and of both.
"""

from __future__ import annotations

import asyncio
import datetime
import hashlib
import io
import os
import re
import struct
import subprocess
import sys
from dataclasses import dataclass

import httpx
from bench import cluster_certificate
from bench import run as bench_run
from bench.cluster_http import Browser, Outcome
from bench.htmlform import field_names, form_fields, option_value

from gongchuang.accounts.identity import sample_national_id

NEW_PASSWORD = "Jiqun2026test"  # noqa: S105 - the registered student's, used only here
MB = 1024 * 1024


@dataclass
class Plan:
    submissions: int  # per load run (one server, then both)
    concurrency: int
    upload_bytes: int
    chunk_bytes: int | None  # None: what the work page asks for (upload.js does the same)
    small_chunk_bytes: int

    @classmethod
    def for_mode(cls, quick: bool, submissions: int | None, upload_mb: int | None) -> Plan:
        if quick:
            plan = cls(6, 3, 3 * MB, 1 * MB, 64 * 1024)
        else:
            plan = cls(40, 10, 50 * MB, None, 256 * 1024)
        plan.submissions = submissions or plan.submissions
        plan.upload_bytes = upload_mb * MB if upload_mb else plan.upload_bytes
        return plan


def mp4_bytes(size: int) -> bytes:
    """A structurally valid MP4 (ftyp, mdat of random bytes, moov) of ``size`` bytes."""

    def box(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", 8 + len(payload)) + kind + payload

    head = box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41")
    tail = box(b"moov", box(b"mvhd", b"\x00" * 12 + struct.pack(">II", 1000, 5000) + b"\x00" * 80))
    return head + box(b"mdat", os.urandom(size - len(head) - len(tail) - 8)) + tail


def pdf_bytes(title: str, side: int) -> bytes:
    """A one-page PDF with a ``side``×``side`` picture of noise (so it has some size)."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    page = canvas.Canvas(buf)
    page.drawString(72, 760, title)
    noise = Image.frombytes("L", (side, side), os.urandom(side * side))
    page.drawImage(ImageReader(noise), 72, 300, width=400, height=400)
    page.showPage()
    page.save()
    return buf.getvalue()


async def register(out: Outcome, site: str) -> Browser:
    """A new junior-school student of 海淀区 registers (and is logged in by it)."""
    browser = Browser(site)
    page = await browser.get("/accounts/register/student/")
    fields = form_fields(page.text)
    username = f"cluster{os.getpid()}"
    fields.update(
        username=username,
        real_name="集群测试学生",
        # No e-mail: a registration with one is activated by a link first (no login yet).
        document_type="resident_id",
        document_number=sample_national_id(
            birth_date=datetime.date(2011, 3, 1), serial=os.getpid()
        ),
        password1=NEW_PASSWORD,
        password2=NEW_PASSWORD,
        unit=option_value(page.text, "unit", "海淀"),
        school=option_value(page.text, "school", "北京市海淀区示范中学"),
        level=option_value(page.text, "level", "初中"),
        grade="初二",
        birth_date="2011-03-01",
        privacy_ack="on",
    )
    done = await browser.post("/accounts/register/student/", fields)
    out.check(
        done.status_code == 302 and done.headers["location"].endswith("/accounts/dashboard/"),
        f"registration: HTTP {done.status_code}",
    )
    return browser


async def create_work(out: Outcome, browser: Browser) -> str:
    """A new AI 艺术创作 draft through the form; its URL (``/works/<pk>/``)."""
    page = await browser.get("/works/new/")
    fields = form_fields(page.text)
    fields.update(
        category=option_value(page.text, "category", "AI 艺术创作"),
        title="集群里的长城四季",
        abstract="用视频生成工具制作的长城四季短片。",
        keywords="AI视频，长城",
        ai_tool_list="keling",
        ai_generated="画面由 AI 生成。",
        ai_contribution="剪辑和配乐是我自己完成的。",
        originality_pledge="on",
        showcase_consent="on",
    )
    created = await browser.post("/works/new/", fields)
    out.check(created.status_code == 302, f"create work: HTTP {created.status_code}")
    return created.headers.get("location", "")


async def resumable_upload(
    out: Outcome, browser: Browser, work_url: str, slot: str, name: str, data: bytes, chunk: int
) -> dict | None:
    """create → PATCH chunks → HEAD → finalize (gongchuang/submissions/resumable.py)."""
    what = f"upload {name}"
    created = await browser.send(
        "POST", f"{work_url}uploads/", json={"slot": slot, "name": name, "size": len(data)}
    )
    if not out.check(created.status_code == 201, f"{what}: create HTTP {created.status_code}"):
        return None
    url, offset = created.json()["url"], 0
    while offset < len(data):
        piece = data[offset : offset + chunk]
        headers = {"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"}
        sent = await browser.send("PATCH", url, content=piece, headers=headers)
        if not out.check(
            sent.status_code == 204, f"{what}: PATCH at {offset} HTTP {sent.status_code}"
        ):
            return None
        offset = int(sent.headers["Upload-Offset"])
    head = await browser.send("HEAD", url)
    out.check(head.headers.get("Upload-Offset") == str(len(data)), f"{what}: HEAD offset")
    done = await browser.send("POST", f"{url}finalize/")
    if not out.check(done.status_code == 200, f"{what}: finalize HTTP {done.status_code}"):
        return None
    return done.json()


PAGE_CHUNK = re.compile(r'data-upload-chunk="(\d+)"')


async def upload_materials(out: Outcome, browser: Browser, work_url: str, plan) -> bool:
    """The big video alone, then both PDFs at once; every file downloaded back and compared."""
    video = mp4_bytes(plan.upload_bytes)
    chunk = plan.chunk_bytes or int(PAGE_CHUNK.search((await browser.get(work_url)).text)[1])
    stored = [await resumable_upload(out, browser, work_url, "artwork", "长城.mp4", video, chunk)]
    pdfs = [("statement", "创作说明.pdf", pdf_bytes("Statement", 700)),
            ("process", "创作过程.pdf", pdf_bytes("Process", 700))]  # fmt: skip
    stored += await asyncio.gather(
        *(resumable_upload(out, browser, work_url, slot, name, data, plan.small_chunk_bytes)
          for slot, name, data in pdfs)
    )  # fmt: skip
    if not all(stored):
        return False
    ok = out.check(stored[0]["sha256"] == hashlib.sha256(video).hexdigest(), "video: sha256")
    for info in stored:
        body = await browser.get(f"/works/files/{info['id']}/download/")
        ok &= out.check(
            body.status_code == 200 and hashlib.sha256(body.content).hexdigest() == info["sha256"],
            f"download {info['name']}: HTTP {body.status_code} or other bytes",
        )
    return ok


async def submit(out: Outcome, browser: Browser, work_url: str) -> None:
    page = await browser.get(work_url)
    fields = form_fields(page.text, f"{work_url}submit/")
    done = await browser.post(f"{work_url}submit/", fields)
    out.check(
        done.headers.get("location", "").endswith("/receipt/"), f"submit: HTTP {done.status_code}"
    )


async def school_confirms(out: Outcome, site: str, work_pk: str) -> None:
    """The school's coordinator confirms the work (the demo edition has 学校确认 on)."""
    browser = Browser(site)
    out.check(await browser.login("coordinator"), "login coordinator")
    path = f"/screening/school/works/{work_pk}/"
    page = await browser.get(path)
    fields = form_fields(page.text)
    fields["decision"] = "confirm"
    done = await browser.post(path, fields)
    out.check(
        done.status_code == 302 and done.headers["location"].endswith("/screening/school/"),
        f"school confirmation: HTTP {done.status_code}",
    )
    await browser.close()


async def district_recommends(out: Outcome, site: str, work_pk: str) -> None:
    """The 海淀区 organizer ticks the checklist and recommends the work."""
    browser = Browser(site)
    out.check(await browser.login("organizer"), "login organizer")
    path = f"/screening/unit/works/{work_pk}/"
    page = await browser.get(path)
    fields = form_fields(page.text)
    fields.update({name: "on" for name in field_names(page.text) if name.startswith("check_")})
    fields["decision"] = "recommend"
    done = await browser.post(path, fields)
    out.check(
        done.status_code == 302 and done.headers["location"].endswith("/screening/unit/"),
        f"district decision: HTTP {done.status_code}",
    )
    again = await browser.get(path)  # most likely from the other server
    out.check("state state-recommended" in again.text, "district decision: not recommended")
    await browser.close()


PROGRESS = re.compile(r'data-testid="progress">(\d+) / \d+<')


async def expert_reviews(out: Outcome, site: str, work_pks: list[int]) -> None:
    """The demo expert (pledge accepted by bench/setup_instance.py) submits one review."""
    browser = Browser(site)
    out.check(await browser.login("expert"), "login expert")
    before = PROGRESS.search((await browser.get("/judging/queue/")).text).group(1)
    path = f"/judging/works/{work_pks[0]}/"
    page = await browser.get(path)
    fields = form_fields(page.text)
    fields.update({name: "8" for name in fields if name.startswith("score_")})
    fields.update(comment_to_committee="构思新颖，完成度高。", submit="")
    done = await browser.post(path, fields)
    out.check(
        done.status_code == 302 and done.headers["location"].endswith("/judging/queue/"),
        f"expert review: HTTP {done.status_code}",
    )
    after = PROGRESS.search((await browser.get("/judging/queue/")).text).group(1)
    out.check(int(after) == int(before) + 1, f"expert review: {before} → {after} submitted")
    await browser.close()


class _Through:
    """What bench/run.py's submission load needs of an instance: an address (nginx) and
    the app servers' CPU time."""

    def __init__(self, url: str, servers):
        self.url, self.servers = url, servers

    def cpu_seconds(self) -> float:
        return sum(server.cpu_seconds() for server in self.servers)

    def database_cpu_seconds(self) -> float:
        return 0.0


async def submission_load(out: Outcome, rig, plan: Plan) -> None:
    """The same load (``plan.submissions`` students, ``plan.concurrency`` at a time) through
    nginx in front of the first server alone, then of both."""
    students = rig.setup["students"]
    legs = [("1", f"http://127.0.0.1:{rig.port_one}", rig.servers[:1]),
            ("2", rig.site_url, rig.servers)]  # fmt: skip
    for n, (label, url, servers) in enumerate(legs):
        batch = students[n * plan.submissions : (n + 1) * plan.submissions]
        result = await bench_run._drive_submissions(_Through(url, servers), batch, plan.concurrency)
        timings, errors, elapsed, cpu, failures = (result[i] for i in (0, 2, 3, 4, 6))
        out.submissions_per_s[label] = round((len(batch) - errors) / elapsed, 2)
        out.failures += [
            f"submission load ({label} server): {count} × {kind}"
            for kind, count in failures.items()
        ]
        print(
            f"[cluster] {label} server(s): {out.submissions_per_s[label]} submissions/s, "
            f"{len(timings)} requests, server CPU {cpu * 1000 / len(batch):.0f} ms/submission",
            file=sys.stderr,
            flush=True,
        )


async def _step(out: Outcome, name: str, coro):
    """Run one step; an exception (a page without the expected form, a dropped connection)
    is recorded as a failure instead of ending the drive."""
    try:
        return await coro
    except (httpx.HTTPError, KeyError, ValueError, OSError, subprocess.CalledProcessError) as exc:
        out.failures.append(f"{name}: {type(exc).__name__}: {exc}")
        return None


async def drive(rig, plan: Plan) -> Outcome:
    out = Outcome()
    site = rig.site_url
    student = await _step(out, "registration", register(out, site))
    work_url = student and await _step(out, "create work", create_work(out, student))
    if work_url:
        pk = work_url.strip("/").rsplit("/", 1)[-1]
        out.uploads_ok = bool(
            await _step(out, "uploads", upload_materials(out, student, work_url, plan))
        )
        await _step(out, "submit", submit(out, student, work_url))
        await _step(out, "school confirmation", school_confirms(out, site, pk))
        await _step(out, "district decision", district_recommends(out, site, pk))
    if student:
        await student.close()
    await _step(out, "expert review", expert_reviews(out, site, rig.setup["review_works"]))
    out.certificate_links_ok = bool(
        await _step(out, "certificate", cluster_certificate.certificate_links(out, site))
    )
    await _step(out, "submission load", submission_load(out, rig, plan))
    return out
