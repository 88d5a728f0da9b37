"""ClamAV hook: infected uploads are refused, quarantined and audited; no verdict = refused.

A small in-test server speaks clamd's INSTREAM protocol (``zINSTREAM\\0``, 4-byte
big-endian chunk lengths, a zero-length terminator) and finds the EICAR test string.
The last test does the same against a real clamd, when one answers on this machine.
"""

import hashlib
import io
import os
import socket
import stat
import struct
import threading
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from gongchuang.common.files.clamd import scan_for_malware
from gongchuang.common.models import AuditEvent
from gongchuang.submissions import services
from gongchuang.submissions.models import WorkFile

# Built from pieces so that this file itself is not flagged by a virus scanner.
EICAR = (r"X5O!P%@AP[4\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-" + "ANTIVIRUS-TEST-FILE!$H+H*").encode()
INFECTED_MESSAGE = (
    "病毒扫描在该文件中发现“Eicar-Test-Signature”，文件未保存。"
    "请先用杀毒软件检查电脑，再上传干净的文件。"
)
UNAVAILABLE_MESSAGE = "病毒扫描服务暂时不可用，文件未保存。请稍后再试。"
pytestmark = pytest.mark.django_db


class FakeClamd:
    """clamd's INSTREAM command on 127.0.0.1, one thread; records every stream it scanned."""

    def __init__(self, reply_clean=b"stream: OK\0"):
        self.reply_clean = reply_clean
        self.streams: list[bytes] = []
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(5)
                self._answer(conn)

    def _answer(self, conn):
        reader = conn.makefile("rb")
        if reader.read(len(b"zINSTREAM\0")) != b"zINSTREAM\0":
            conn.sendall(b"UNKNOWN COMMAND\0")
            return
        stream = bytearray()
        while (size := struct.unpack(">I", reader.read(4))[0]) > 0:
            stream.extend(reader.read(size))
        self.streams.append(bytes(stream))
        found = EICAR in stream
        conn.sendall(b"stream: Eicar-Test-Signature FOUND\0" if found else self.reply_clean)

    def close(self):
        self._stop.set()
        self._thread.join(5)
        self.server.close()


@pytest.fixture
def clamd(monkeypatch):
    server = FakeClamd()
    monkeypatch.delenv("CLAMD_SOCKET", raising=False)
    monkeypatch.setenv("CLAMD_HOST", "127.0.0.1")
    monkeypatch.setenv("CLAMD_PORT", str(server.port))
    yield server
    server.close()


@pytest.fixture
def quarantine(settings, tmp_path):
    settings.QUARANTINE_DIR = tmp_path / "quarantine"
    return settings.QUARANTINE_DIR


def zip_with(member: str, data: bytes) -> bytes:
    """A ZIP whose member is stored uncompressed (a real clamd unpacks it anyway)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(member, data)
    return buf.getvalue()


def scientist_draft(edition, student):
    return services.work_create(
        actor=student,
        edition=edition,
        category=edition.categories.get(code="ai_scientist"),
        title="城市热岛",
        abstract="用 AI 分析北京热岛效应。",
    )


def upload(client, student, work, data: bytes, name="data.zip"):
    client.force_login(student, backend="gongchuang.accounts.backends.UsernameEmailMobileBackend")
    fileobj = io.BytesIO(data)
    fileobj.name = name
    response = client.post(
        reverse("submissions:file_upload", args=[work.pk]),
        {"slot": "data_code", "file": fileobj},
        follow=True,
    )
    return [str(m) for m in response.context["messages"]]


def stored_media(settings) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_eicar_upload_is_refused_quarantined_and_audited(
    client, edition, roles, clamd, quarantine, settings
):
    student = roles["student"]
    work = scientist_draft(edition, student)
    infected = zip_with("eicar.com", EICAR)

    messages = upload(client, student, work, infected)

    assert messages == [INFECTED_MESSAGE]
    assert clamd.streams == [infected]  # the whole file went to clamd, as sent
    assert WorkFile.objects.filter(work=work).count() == 0
    assert stored_media(settings) == []
    digest = hashlib.sha256(infected).hexdigest()
    kept = quarantine / f"{digest}.quarantined"
    assert kept.read_bytes() == infected
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    event = AuditEvent.objects.get(action="upload.malware")
    assert (event.actor, event.object_id) == (student, str(work.pk))
    assert event.after == {
        "slot": "data_code",
        "name": "data.zip",
        "signature": "Eicar-Test-Signature",
        "sha256": digest,
    }
    assert not AuditEvent.objects.filter(action="work.file_add").exists()


def test_clean_upload_passes_the_scan_and_is_stored_whole(
    client, edition, roles, clamd, quarantine
):
    student = roles["student"]
    work = scientist_draft(edition, student)
    clean = zip_with("data.csv", b"year,temperature\n2025,13.2\n")

    messages = upload(client, student, work, clean)

    assert messages == ["文件已上传。"]
    assert clamd.streams == [clean]
    assert WorkFile.objects.get(work=work).file.read() == clean
    assert not quarantine.exists()


def test_clamd_down_fails_closed(client, edition, roles, monkeypatch, quarantine, settings):
    with socket.create_server(("127.0.0.1", 0)) as probe:
        closed_port = probe.getsockname()[1]  # nobody listens there once closed
    monkeypatch.delenv("CLAMD_SOCKET", raising=False)
    monkeypatch.setenv("CLAMD_HOST", "127.0.0.1")
    monkeypatch.setenv("CLAMD_PORT", str(closed_port))
    student = roles["student"]
    work = scientist_draft(edition, student)

    messages = upload(client, student, work, zip_with("data.csv", b"1,2\n"))

    assert messages == [UNAVAILABLE_MESSAGE]
    assert WorkFile.objects.filter(work=work).count() == 0
    assert stored_media(settings) == []
    event = AuditEvent.objects.get(action="upload.scan_failed")
    assert (event.actor, event.after["slot"], event.after["name"]) == (
        student,
        "data_code",
        "data.zip",
    )


def test_clamd_error_answer_fails_closed(client, edition, roles, monkeypatch, quarantine):
    server = FakeClamd(reply_clean=b"INSTREAM size limit exceeded. ERROR\0")
    monkeypatch.delenv("CLAMD_SOCKET", raising=False)
    monkeypatch.setenv("CLAMD_HOST", "127.0.0.1")
    monkeypatch.setenv("CLAMD_PORT", str(server.port))
    student = roles["student"]
    work = scientist_draft(edition, student)
    try:
        messages = upload(client, student, work, zip_with("data.csv", b"1,2\n"))
    finally:
        server.close()

    assert messages == [UNAVAILABLE_MESSAGE]
    assert WorkFile.objects.filter(work=work).count() == 0
    event = AuditEvent.objects.get(action="upload.scan_failed")
    assert event.after["error"] == "clamd answered: INSTREAM size limit exceeded. ERROR"


def test_scanning_an_open_file_sends_it_from_the_start_and_rewinds_it(clamd):
    fileobj = io.BytesIO(b"0123456789")
    fileobj.seek(4)

    assert scan_for_malware(fileobj, timeout=5) is None

    assert clamd.streams == [b"0123456789"]
    assert fileobj.tell() == 0


# --- a real clamd, when this machine has one ----------------------------------------


def _real_clamd_address() -> dict | None:
    """Environment for scan_for_malware if a real clamd answers PING; else None."""
    candidates = []
    if os.environ.get("CLAMD_SOCKET"):
        candidates.append({"CLAMD_SOCKET": os.environ["CLAMD_SOCKET"]})
    for path in ("/run/clamav/clamd.ctl", "/var/run/clamav/clamd.ctl", "/tmp/clamd.socket"):
        candidates.append({"CLAMD_SOCKET": path})
    host = os.environ.get("CLAMD_HOST", "127.0.0.1")
    candidates.append({"CLAMD_HOST": host, "CLAMD_PORT": os.environ.get("CLAMD_PORT", "3310")})
    for env in candidates:
        try:
            if "CLAMD_SOCKET" in env:
                conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                conn.settimeout(2)
                conn.connect(env["CLAMD_SOCKET"])
            else:
                conn = socket.create_connection((env["CLAMD_HOST"], int(env["CLAMD_PORT"])), 2)
            with conn:
                conn.sendall(b"zPING\0")
                if conn.recv(16).startswith(b"PONG"):
                    return env
        except OSError:
            continue
    return None


def test_eicar_upload_is_refused_by_a_real_clamd(
    client, edition, roles, monkeypatch, quarantine, settings
):
    env = _real_clamd_address()
    if env is None:
        pytest.skip("no clamd answers on this machine (CLAMD_SOCKET, clamd.ctl or :3310)")
    for name in ("CLAMD_SOCKET", "CLAMD_HOST", "CLAMD_PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    student = roles["student"]
    work = scientist_draft(edition, student)

    messages = upload(client, student, work, zip_with("eicar.com", EICAR))

    assert len(messages) == 1 and messages[0].startswith("病毒扫描在该文件中发现“")
    assert "eicar" in AuditEvent.objects.get(action="upload.malware").after["signature"].lower()
    assert WorkFile.objects.filter(work=work).count() == 0
    assert stored_media(settings) == []


# --- Every other upload path is scanned the same way -----------------------------------


def _pdf_with(extra: bytes) -> bytes:
    from tests.publicity.helpers import pdf_upload

    return pdf_upload().read() + b"\n%" + extra + b"\n"


def _refused_and_audited(exc_info, actor, obj):
    assert exc_info.value.message == INFECTED_MESSAGE
    event = AuditEvent.objects.filter(action="upload.malware").latest("pk")
    assert (event.actor, event.object_id) == (actor, str(obj.pk))
    assert event.content_type.model == obj._meta.model_name


def test_objection_evidence_is_scanned(edition, roles, clamd, quarantine, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongchuang.common.errors import DomainError
    from gongchuang.publicity.models import Objection
    from gongchuang.publicity.services import objection_file
    from tests.publicity.helpers import REASON, finalist, published

    work = finalist(edition, roles["student"], roles["committee"])
    entry = published(edition, [work], roles["committee"]).entries.get()
    infected = SimpleUploadedFile("证据.pdf", _pdf_with(EICAR), content_type="application/pdf")
    with pytest.raises(DomainError) as exc_info:
        objection_file(
            entry=entry, objector=roles["student_b"], reason=REASON, contact="13700000000",
            files=[infected],
        )  # fmt: skip
    _refused_and_audited(exc_info, roles["student_b"], entry)
    assert not Objection.objects.exists() and stored_media(settings) == []

    clean = SimpleUploadedFile("证据.pdf", _pdf_with(b"clean"), content_type="application/pdf")
    objection = objection_file(
        entry=entry, objector=roles["student_b"], reason=REASON, contact="13700000000",
        files=[clean],
    )  # fmt: skip
    assert objection.evidence.count() == 1 and len(clamd.streams) == 2


def test_onsite_task_files_are_scanned_both_ways(edition, roles, units, clamd, quarantine):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongchuang.common.errors import DomainError
    from gongchuang.finals import services as finals
    from gongchuang.finals.models import OnsiteTask, TaskSubmission
    from tests.finals.conftest import make_event, make_finalist, make_presentation_session

    committee = roles["committee"]
    session = make_presentation_session(make_event(edition, committee), committee)
    with pytest.raises(DomainError) as exc_info:
        finals.task_create(
            session=session, title="现场任务", statement="设计一个智能体", time_limit_minutes=30,
            attachment=SimpleUploadedFile("任务包.zip", zip_with("eicar.com", EICAR)),
            actor=committee,
        )  # fmt: skip
    _refused_and_audited(exc_info, committee, session)
    assert not OnsiteTask.objects.exists()

    task = finals.task_create(
        session=session, title="现场任务", statement="设计一个智能体", time_limit_minutes=30,
        attachment=SimpleUploadedFile("任务包.zip", zip_with("readme.txt", b"hello")),
        actor=committee,
    )  # fmt: skip
    work = make_finalist(edition, school=units["hd_school"])
    finals.session_add_participant(session=session, work=work, actor=committee)
    task = finals.task_release(task=task, actor=committee)
    author = work.authorships.get().user
    with pytest.raises(DomainError) as exc_info:
        finals.task_submit(
            task=task, work=work, user=author,
            file=SimpleUploadedFile("答案.zip", zip_with("eicar.com", EICAR)),
        )  # fmt: skip
    _refused_and_audited(exc_info, author, work)
    assert not TaskSubmission.objects.exists()


def test_notice_attachments_are_scanned(edition, roles, clamd, quarantine):
    from django.core.files.base import ContentFile

    from gongchuang.common.errors import DomainError
    from gongchuang.portal import services as portal
    from gongchuang.portal.models import NoticeAttachment

    committee = roles["committee"]
    notice = portal.notice_save(actor=committee, edition=edition, title="通知", body="正文")
    with pytest.raises(DomainError) as exc_info:
        portal.notice_attachment_add(
            notice=notice, actor=committee, fileobj=ContentFile(_pdf_with(EICAR), name="a"),
            name="报名表.pdf",
        )  # fmt: skip
    _refused_and_audited(exc_info, committee, notice)
    assert not NoticeAttachment.objects.exists()


def test_guide_documents_are_scanned(edition, roles, clamd, quarantine):
    from django.core.files.base import ContentFile

    from gongchuang.common.errors import DomainError
    from gongchuang.portal import services as portal
    from gongchuang.portal.models import GuideDocument

    committee = roles["committee"]
    with pytest.raises(DomainError) as exc_info:
        portal.guide_document_add(
            edition=edition, actor=committee, title="作品提交指南",
            fileobj=ContentFile(zip_with("eicar.com", EICAR), name="a"), name="指南.zip",
        )  # fmt: skip
    _refused_and_audited(exc_info, committee, edition)
    assert not GuideDocument.objects.exists()
