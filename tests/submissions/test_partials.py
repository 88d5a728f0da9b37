"""Resumable uploads keep no local state: S3 multipart or a shared directory, any server.

"Servers" here are two test clients whose requests each start from a fresh process
state: the storage objects (and their boto3 clients) are rebuilt and each server has
its own temporary directory, as the app servers of ./scripts/cluster have their own
var/. moto serves the bucket (tests/submissions/s3.py).
"""

import hashlib
import io

import pytest
from django.core.files.storage import default_storage, storages
from django.urls import reverse
from django.utils.functional import empty

from gongchuang.submissions import partials
from gongchuang.submissions.models import UploadSession, WorkFile

from .helpers import art_draft, zip_bytes
from .test_resumable import create_session, mp4_stream, patch

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


class Server:
    """One app server: its own temporary directory, nothing kept between requests."""

    def __init__(self, client, settings, root, user):
        self.client, self.settings, self.tmp = client, settings, root / "tmp"
        self.tmp.mkdir(parents=True)
        client.force_login(user, backend="gongchuang.accounts.backends.UsernameEmailMobileBackend")

    def _fresh_process(self):
        self.settings.FILE_UPLOAD_TEMP_DIR = str(self.tmp)
        storages._storages = {}
        default_storage._wrapped = empty

    def create(self, work, **kwargs):
        self._fresh_process()
        return create_session(self.client, work, **kwargs)

    def patch(self, url, offset, data, **extra):
        self._fresh_process()
        return patch(self.client, url, offset, data, **extra)

    def finalize(self, url):
        self._fresh_process()
        return self.client.post(url + "finalize/")


@pytest.fixture
def servers(client, settings, tmp_path, roles):
    from django.test import Client

    return (
        Server(client, settings, tmp_path / "a", roles["student"]),
        Server(Client(), settings, tmp_path / "b", roles["student"]),
    )


def multipart_uploads(s3) -> list[str]:
    answer = s3.client.list_multipart_uploads(Bucket=s3.bucket)
    return [upload["Key"] for upload in answer.get("Uploads", [])]


def test_upload_on_s3_goes_on_whichever_server_takes_each_request(s3, servers, edition, roles):
    a, b = servers
    work = art_draft(edition, roles["student"])
    data = b"".join(mp4_stream(13 * MB + 4321))
    created = a.create(work, size=len(data))
    assert created.json()["chunk_size"] == 8 * MB
    url = created.json()["url"]
    session = UploadSession.objects.get()
    assert (session.store, session.upload_id != "") == ("s3", True)
    assert multipart_uploads(s3) == [f"staging/partial/{session.temp_name}"]

    # 3 MiB: less than a part, kept as the tail object on B.
    assert b.patch(url, 0, data[: 3 * MB])["Upload-Offset"] == str(3 * MB)
    assert s3.keys("staging/") == [f"staging/partial/{session.temp_name}.tail"]
    # A's chunk joins the tail: 7 MiB become part 1.
    assert a.patch(url, 3 * MB, data[3 * MB : 7 * MB])["Upload-Offset"] == str(7 * MB)
    # B: the connection drops after 1 MiB + 5 bytes of a 4 MiB chunk; they are kept.
    dropped = b.patch(
        url, 7 * MB, b"",
        **{"wsgi.input": io.BytesIO(data[7 * MB : 8 * MB + 5]), "CONTENT_LENGTH": str(4 * MB)},
    )  # fmt: skip
    assert dropped["Upload-Offset"] == str(8 * MB + 5)
    # A does not know: its stale offset is refused with the real one.
    stale = a.patch(url, 11 * MB, data[11 * MB : 12 * MB])
    assert (stale.status_code, stale["Upload-Offset"]) == (409, str(8 * MB + 5))
    assert a.client.head(url)["Upload-Offset"] == str(8 * MB + 5)
    # The rest, on A: tail + rest is the last part.
    assert a.patch(url, 8 * MB + 5, data[8 * MB + 5 :]).status_code == 204
    session.refresh_from_db()
    assert [part["size"] for part in session.parts] == [7 * MB, len(data) - 7 * MB]

    finalized = b.finalize(url)

    assert finalized.status_code == 200, finalized.content
    work_file = WorkFile.objects.get(work=work)
    assert work_file.sha256 == hashlib.sha256(data).hexdigest() == finalized.json()["sha256"]
    assert s3.body(work_file.file.name) == data
    assert s3.keys("staging/") == []
    assert multipart_uploads(s3) == []
    assert list(a.tmp.iterdir()) == list(b.tmp.iterdir()) == []
    assert not partials.DiskPartials.directory().joinpath(session.temp_name).exists()


def test_small_file_on_s3_is_a_single_last_part(s3, servers, edition, roles):
    a, b = servers
    work = art_draft(edition, roles["student"])
    data = b"".join(mp4_stream(300_000))
    url = a.create(work, size=len(data)).json()["url"]
    assert b.patch(url, 0, data).status_code == 204
    assert a.finalize(url).status_code == 200
    assert s3.body(WorkFile.objects.get().file.name) == data
    assert s3.keys("staging/") == []


def test_finalize_on_s3_twice_stores_the_file_once(s3, servers, edition, roles):
    a, b = servers
    work = art_draft(edition, roles["student"])
    data = b"".join(mp4_stream(100_000))
    url = a.create(work, size=len(data)).json()["url"]
    a.patch(url, 0, data)
    first, second = a.finalize(url), b.finalize(url)
    assert first.json()["id"] == second.json()["id"] == WorkFile.objects.get().pk


def test_refused_file_on_s3_leaves_nothing_in_the_bucket(s3, servers, edition, roles):
    a, b = servers
    work = art_draft(edition, roles["student"])
    data = zip_bytes()
    url = a.create(work, name="art.png", size=len(data)).json()["url"]
    b.patch(url, 0, data)
    response = a.finalize(url)
    assert response.status_code == 422
    assert "ZIP" in response.json()["error"]
    assert (WorkFile.objects.count(), UploadSession.objects.count()) == (0, 0)
    assert s3.keys() == []
    assert multipart_uploads(s3) == []


def test_lost_tail_on_s3_asks_for_a_new_upload(s3, servers, edition, roles):
    a, b = servers
    work = art_draft(edition, roles["student"])
    url = a.create(work, size=8 * MB).json()["url"]
    a.patch(url, 0, b"x" * MB)
    session = UploadSession.objects.get()
    s3.client.delete_object(Bucket=s3.bucket, Key=f"staging/partial/{session.temp_name}.tail")
    response = b.patch(url, MB, b"y" * MB)
    assert (response.status_code, response.json()["code"]) == (400, "upload_expired")
    assert "已过期" in response.json()["error"]
    assert UploadSession.objects.get().offset == MB


def test_upload_on_disk_lives_in_the_shared_directory(settings, servers, tmp_path, edition, roles):
    settings.PARTIAL_UPLOAD_DIR = tmp_path / "shared"
    a, b = servers
    work = art_draft(edition, roles["student"])
    data = b"".join(mp4_stream(9 * MB + 7))
    created = a.create(work, size=len(data))
    assert created.json()["chunk_size"] == 4 * MB
    url = created.json()["url"]
    session = UploadSession.objects.get()
    assert session.store == "disk"
    for number, offset in enumerate(range(0, len(data), 4 * MB)):
        server = (a, b)[number % 2]
        assert server.patch(url, offset, data[offset : offset + 4 * MB]).status_code == 204
        assert (tmp_path / "shared" / session.temp_name).stat().st_size == min(
            offset + 4 * MB, len(data)
        )
    assert b.finalize(url).status_code == 200
    assert WorkFile.objects.get().sha256 == hashlib.sha256(data).hexdigest()
    assert list((tmp_path / "shared").iterdir()) == []
    assert not (settings.MEDIA_ROOT / "partial").exists()


def test_work_page_tells_the_script_the_chunk_size(client, s3, edition, roles):
    work = art_draft(edition, roles["student"])
    client.force_login(
        roles["student"], backend="gongchuang.accounts.backends.UsernameEmailMobileBackend"
    )
    page = client.get(reverse("submissions:work_detail", args=[work.pk])).content.decode()
    assert page.count(f'data-upload-chunk="{8 * MB}"') == 3


def test_upload_busy_with_another_request_is_told_to_wait(
    client, settings, tmp_path, edition, roles
):
    import datetime

    from django.utils import timezone

    settings.PARTIAL_UPLOAD_DIR = tmp_path / "shared"
    client.force_login(
        roles["student"], backend="gongchuang.accounts.backends.UsernameEmailMobileBackend"
    )
    work = art_draft(edition, roles["student"])
    url = create_session(client, work, size=100).json()["url"]
    assert patch(client, url, 0, b"x" * 40).status_code == 204
    # A request on another server is storing the next chunk right now.
    until = timezone.now() + datetime.timedelta(seconds=60)
    UploadSession.objects.update(claim="other", claimed_until=until)

    busy = patch(client, url, 40, b"y" * 60)

    assert (busy.status_code, busy["Upload-Offset"], busy["Retry-After"]) == (423, "40", "2")
    assert busy.json()["code"] == "busy"
    assert (tmp_path / "shared" / UploadSession.objects.get().temp_name).read_bytes() == b"x" * 40
    # That worker was killed: once its claim expires the upload goes on.
    UploadSession.objects.update(claimed_until=timezone.now() - datetime.timedelta(seconds=1))
    assert patch(client, url, 40, b"y" * 60)["Upload-Offset"] == "100"
    assert UploadSession.objects.values_list("claim", "offset").get() == ("", 100)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_servers_sending_the_same_chunk_at_once_store_it_once(s3, edition, roles, monkeypatch):
    import threading
    import time

    from django.db import connection

    from gongchuang.submissions import resumable

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (concurrent transactions)")
    student = roles["student"]
    work = art_draft(edition, student)
    session = resumable.upload_session_create(
        work=work, actor=student, slot="artwork", name="v.mp4", size=3 * MB
    )
    slow_write = partials.S3Partials.write

    def write(self, *args):
        time.sleep(0.5)  # still storing when the other server's request arrives
        return slow_write(self, *args)

    monkeypatch.setattr(partials.S3Partials, "write", write)
    start, results = threading.Barrier(2), []

    def send(data: bytes):
        start.wait()
        fresh = UploadSession.objects.get(pk=session.pk)
        try:
            offset = resumable.upload_session_append(
                session=fresh, actor=student, offset=0, stream=io.BytesIO(data), length=len(data)
            )
            results.append(offset)
        except resumable.UploadBusy as exc:
            results.append(("busy", exc.offset))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(c * MB,)) for c in (b"a", b"b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results, key=str) == [("busy", 0), MB]
    session.refresh_from_db()
    assert (session.offset, session.claim, session.parts) == (MB, "", [])
    tail = s3.body(f"staging/partial/{session.temp_name}.tail")
    assert tail in (b"a" * MB, b"b" * MB)
