"""Resumable chunked uploads: constant memory, resume after a dropped connection."""

import gc
import hashlib
import io
import json
import struct
import threading
import time

import psutil
import pytest
from django.urls import reverse

from gongchuang.submissions.models import UploadSession, WorkFile

from .helpers import art_draft, mp4_head, mp4_tail, png_bytes, zip_bytes

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
CHUNK = 4 * MB


@pytest.fixture
def student_client(client, roles):
    client.force_login(
        roles["student"], backend="gongchuang.accounts.backends.UsernameEmailMobileBackend"
    )
    return client


def create_session(client, work, *, slot="artwork", name="video.mp4", size):
    response = client.post(
        reverse("submissions:upload_create", args=[work.pk]),
        data=json.dumps({"slot": slot, "name": name, "size": size}),
        content_type="application/json",
    )
    return response


def patch(client, url, offset, data, **extra):
    return client.generic(
        "PATCH",
        url,
        data,
        content_type="application/offset+octet-stream",
        headers={"Upload-Offset": str(offset)},
        **extra,
    )


def mp4_stream(total: int):
    """Yield the bytes of a valid ``total``-byte MP4 in CHUNK pieces, never all at once."""
    head, tail = mp4_head(), mp4_tail()
    payload = total - len(head) - 8 - len(tail)
    pattern = bytes(range(256)) * (CHUNK // 256)
    pieces = [head + struct.pack(">I", 8 + payload) + b"mdat"]
    sent = 0
    buffer = pieces[0]
    while sent < payload:
        take = min(len(pattern), payload - sent)
        buffer += pattern[:take]
        sent += take
        while len(buffer) >= CHUNK:
            yield buffer[:CHUNK]
            buffer = buffer[CHUNK:]
    buffer += tail
    while buffer:
        yield buffer[:CHUNK]
        buffer = buffer[CHUNK:]


class PeakRss:
    """Samples this process's resident memory in a thread while the block runs."""

    def __enter__(self):
        gc.collect()
        self.process = psutil.Process()
        self.baseline = self.process.memory_info().rss
        self.peak = self.baseline
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.005)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.baseline) / MB


def test_200_mb_upload_keeps_memory_growth_under_50_mb(student_client, edition, roles):
    work = art_draft(edition, roles["student"])
    total = 200 * MB
    url = create_session(student_client, work, size=total).json()["url"]
    digest = hashlib.sha256()
    with PeakRss() as rss:
        offset = 0
        for chunk in mp4_stream(total):
            digest.update(chunk)
            response = patch(student_client, url, offset, chunk)
            assert response.status_code == 204
            offset = int(response["Upload-Offset"])
            # Django's test client leaves each request in a reference cycle that
            # holds its in-memory payload (a real server streams from the socket);
            # collect the young generations so we measure the server code, not
            # the test client's garbage.
            del chunk, response
            gc.collect(1)
        finalized = student_client.post(url + "finalize/")
    assert finalized.status_code == 200, finalized.content
    assert rss.growth_mb < 50, f"peak RSS grew by {rss.growth_mb:.1f} MB"
    work_file = WorkFile.objects.get(work=work)
    assert (work_file.size, work_file.kind, work_file.mime) == (total, "video", "video/mp4")
    assert work_file.sha256 == digest.hexdigest()
    print(f"200 MB upload: peak RSS growth {rss.growth_mb:.1f} MB")


def test_interrupted_upload_resumes_to_byte_identical_file(student_client, edition, roles):
    work = art_draft(edition, roles["student"])
    data = b"".join(mp4_stream(10 * MB + 12345))
    url = create_session(student_client, work, size=len(data)).json()["url"]
    assert patch(student_client, url, 0, data[:CHUNK]).status_code == 204
    # The connection drops halfway through the second chunk: the server sees the
    # stream end early and keeps what arrived.
    half = CHUNK // 2 + 777
    dropped = patch(
        student_client,
        url,
        CHUNK,
        b"",
        **{"wsgi.input": io.BytesIO(data[CHUNK : CHUNK + half]), "CONTENT_LENGTH": str(CHUNK)},
    )
    assert dropped["Upload-Offset"] == str(CHUNK + half)
    # A client that assumed the whole chunk arrived is told the real offset.
    stale = patch(student_client, url, 2 * CHUNK, data[2 * CHUNK : 3 * CHUNK])
    assert stale.status_code == 409
    assert stale["Upload-Offset"] == str(CHUNK + half)
    # Resume: ask for the offset, then send the rest.
    offset = int(student_client.head(url)["Upload-Offset"])
    assert offset == CHUNK + half
    while offset < len(data):
        response = patch(student_client, url, offset, data[offset : offset + CHUNK])
        offset = int(response["Upload-Offset"])
    assert student_client.post(url + "finalize/").status_code == 200
    work_file = WorkFile.objects.get(work=work)
    with work_file.file.open("rb") as fh:
        stored = hashlib.sha256(fh.read()).hexdigest()
    assert stored == work_file.sha256 == hashlib.sha256(data).hexdigest()
    assert work_file.size == len(data)


def test_declared_size_over_limit_refused_before_any_byte(student_client, edition, roles):
    work = art_draft(edition, roles["student"])
    response = create_session(student_client, work, slot="statement", name="s.pdf", size=21 * MB)
    assert response.status_code == 400
    assert "文件过大" in response.json()["error"]
    assert UploadSession.objects.count() == 0


def test_more_bytes_than_declared_refused(student_client, edition, roles):
    work = art_draft(edition, roles["student"])
    url = create_session(student_client, work, size=10).json()["url"]
    response = patch(student_client, url, 0, b"x" * 11)
    assert response.status_code == 400
    assert UploadSession.objects.get().offset == 0


def test_finalize_incomplete_refused(student_client, edition, roles):
    work = art_draft(edition, roles["student"])
    url = create_session(student_client, work, size=100).json()["url"]
    patch(student_client, url, 0, b"x" * 40)
    response = student_client.post(url + "finalize/")
    assert response.status_code == 422
    assert "尚未上传完成" in response.json()["error"]


def test_finalize_of_zip_named_png_refused_and_discarded(student_client, edition, roles):
    work = art_draft(edition, roles["student"])
    data = zip_bytes()
    url = create_session(student_client, work, name="art.png", size=len(data)).json()["url"]
    patch(student_client, url, 0, data)
    response = student_client.post(url + "finalize/")
    assert response.status_code == 422
    assert "ZIP" in response.json()["error"]
    assert WorkFile.objects.count() == 0
    assert UploadSession.objects.count() == 0


def test_session_of_another_user_is_404(client, student_client, edition, roles):
    work = art_draft(edition, roles["student"])
    data = png_bytes()
    url = create_session(student_client, work, name="a.png", size=len(data)).json()["url"]
    client.force_login(
        roles["student_b"], backend="gongchuang.accounts.backends.UsernameEmailMobileBackend"
    )
    assert client.head(url).status_code == 404
    assert patch(client, url, 0, data).status_code == 404


def test_session_for_someone_elses_work_is_404(client, edition, roles):
    work = art_draft(edition, roles["student"])
    client.force_login(
        roles["student_b"], backend="gongchuang.accounts.backends.UsernameEmailMobileBackend"
    )
    assert create_session(client, work, size=10).status_code == 404


def test_too_many_unfinished_uploads_refused(student_client, edition, roles):
    work = art_draft(edition, roles["student"])
    for _ in range(10):
        assert create_session(student_client, work, size=100).status_code == 201
    response = create_session(student_client, work, size=100)
    assert response.status_code == 400
    assert response.json()["code"] == "too_many_uploads"


def test_purge_removes_stale_sessions_and_their_files(student_client, edition, roles):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    from gongchuang.submissions import resumable

    work = art_draft(edition, roles["student"])
    url = create_session(student_client, work, size=100).json()["url"]
    patch(student_client, url, 0, b"x" * 50)
    session = UploadSession.objects.get()
    path = resumable.partial_dir() / session.temp_name
    assert path.stat().st_size == 50
    call_command("purge_uploads", "--days", "2")
    assert UploadSession.objects.count() == 1
    UploadSession.objects.update(updated_at=timezone.now() - datetime.timedelta(days=3))
    call_command("purge_uploads", "--days", "2")
    assert UploadSession.objects.count() == 0
    assert not path.exists()


def test_chunks_refused_after_the_deadline(student_client, edition, roles):
    import datetime

    from django.utils import timezone

    from gongchuang.editions.enums import Step

    work = art_draft(edition, roles["student"])
    url = create_session(student_client, work, size=100).json()["url"]
    assert patch(student_client, url, 0, b"x" * 50).status_code == 204
    window = edition.windows.get(step=Step.SUBMISSION)
    window.closes_at = timezone.now() - datetime.timedelta(seconds=1)
    window.save()
    response = patch(student_client, url, 50, b"x" * 50)
    assert response.status_code == 400
    assert "截止" in response.json()["error"]
    assert UploadSession.objects.get().offset == 50
