"""``manage.py purge_uploads``: abandoned partials and temporary files go, fresh ones stay."""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.conf import settings as project_settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gongchuang.common.errors import DomainError
from gongchuang.submissions import resumable
from gongchuang.submissions.models import UploadSession

from .helpers import art_draft
from .test_resumable import create_session, patch

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
DAY = datetime.timedelta(days=1)


@pytest.fixture
def student_client(client, roles):
    client.force_login(
        roles["student"], backend="gongchuang.accounts.backends.UsernameEmailMobileBackend"
    )
    return client


@pytest.fixture
def dirs(settings, tmp_path):
    settings.PARTIAL_UPLOAD_DIR = tmp_path / "partial"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "tmp")
    (tmp_path / "tmp").mkdir()
    return tmp_path / "partial", tmp_path / "tmp"


def aged(path: Path, days: float) -> Path:
    when = (timezone.now() - datetime.timedelta(days=days)).timestamp()
    os.utime(path, (when, when))
    return path


def make_stale(session: UploadSession, days: float = 2) -> None:
    UploadSession.objects.filter(pk=session.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=days)
    )


def start(client, work, data: bytes) -> UploadSession:
    url = create_session(client, work, size=len(data) + 100).json()["url"]
    assert patch(client, url, 0, data).status_code == 204
    return UploadSession.objects.get(token=url.rstrip("/").rsplit("/", 1)[1])


def test_file_upload_temp_dir_is_under_var_and_exists():
    assert Path(project_settings.FILE_UPLOAD_TEMP_DIR) == project_settings.VAR_DIR / "tmp"
    assert Path(project_settings.FILE_UPLOAD_TEMP_DIR).is_dir()
    assert project_settings.PARTIAL_UPLOAD_DIR == project_settings.VAR_DIR / "partial"


def test_plain_upload_spools_into_file_upload_temp_dir(
    student_client, dirs, edition, roles, monkeypatch
):
    from gongchuang.submissions import services

    _partial, tmp = dirs
    work = art_draft(edition, roles["student"])
    seen = []

    def record(*, fileobj, **kwargs):
        seen.append(Path(fileobj.temporary_file_path()).parent)
        raise DomainError("refused", code="x")

    monkeypatch.setattr(services, "workfile_store", record)
    upload = io.BytesIO(b"\x89PNG" + b"0" * (3 * MB))  # over FILE_UPLOAD_MAX_MEMORY_SIZE
    upload.name = "a.png"
    url = reverse("submissions:file_upload", args=[work.pk])
    student_client.post(url, {"slot": "artwork", "file": upload})
    assert seen == [tmp]
    assert list(tmp.iterdir()) == []  # a finished request removes its file


def test_purge_on_disk_removes_old_partials_and_temporary_files_only(
    student_client, dirs, edition, roles
):
    partial, tmp = dirs
    work = art_draft(edition, roles["student"])
    stale, fresh = start(student_client, work, b"s" * 50), start(student_client, work, b"f" * 60)
    make_stale(stale)
    orphan_old = partial / ("a" * 32)
    orphan_old.write_bytes(b"left by a deleted session")
    aged(orphan_old, 2)
    orphan_new = partial / ("b" * 32)
    orphan_new.write_bytes(b"being created right now")
    readme = partial / "README"  # not a partial upload's name: never touched
    readme.write_text("shared upload directory")
    aged(readme, 9)
    temp_old = tmp / "tmpk1l2m3.upload.mp4"  # a worker was killed mid-upload
    temp_old.write_bytes(b"7" * MB)
    aged(temp_old, 1.5)
    temp_new = tmp / "tmpx9y8z7.upload.png"
    temp_new.write_bytes(b"uploading now")
    not_ours = tmp / "someone-elses.txt"
    not_ours.write_bytes(b"not a Django upload")
    aged(not_ours, 5)
    out = io.StringIO()

    call_command("purge_uploads", stdout=out)

    assert list(UploadSession.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert sorted(p.name for p in partial.iterdir()) == sorted(
        ["README", "b" * 32, fresh.temp_name]
    )
    assert sorted(p.name for p in tmp.iterdir()) == ["someone-elses.txt", "tmpx9y8z7.upload.png"]
    assert not temp_old.exists()
    assert out.getvalue().strip() == (
        "Removed 1 unfinished upload(s), 1 orphaned partial(s) and 1 temporary file(s)."
    )


def test_purge_days_option(student_client, dirs, edition, roles):
    work = art_draft(edition, roles["student"])
    session = start(student_client, work, b"x" * 10)
    make_stale(session, days=2)
    call_command("purge_uploads", "--days", "3", stdout=io.StringIO())
    assert UploadSession.objects.count() == 1
    call_command("purge_uploads", "--days", "1", stdout=io.StringIO())
    assert UploadSession.objects.count() == 0


def multipart(s3) -> list[tuple[str, str]]:
    answer = s3.client.list_multipart_uploads(Bucket=s3.bucket)
    return sorted((u["Key"], u["UploadId"]) for u in answer.get("Uploads", []))


def test_purge_on_s3_aborts_stale_multipart_uploads_but_not_fresh_ones(
    student_client, s3, dirs, edition, roles
):
    work = art_draft(edition, roles["student"])
    # Stale: one 6 MiB part and a 1 MiB tail; fresh: a tail only.
    stale = start(student_client, work, b"s" * 6 * MB)
    patch(student_client, f"/works/uploads/{stale.token}/", 6 * MB, b"t" * MB)
    stale.refresh_from_db()
    assert len(stale.parts) == 1
    make_stale(stale)
    fresh = start(student_client, work, b"f" * MB)
    # A multipart upload no session knows (its session row was deleted while S3 was down).
    orphan = s3.client.create_multipart_upload(Bucket=s3.bucket, Key="staging/partial/" + "c" * 32)
    s3.client.put_object(Bucket=s3.bucket, Key="staging/partial/" + "c" * 32 + ".tail", Body=b"z")
    fresh_key = f"staging/partial/{fresh.temp_name}"

    counts = resumable.upload_sessions_purge(older_than=DAY)

    # moto reports every multipart upload as initiated in 2010: the orphan is old.
    assert counts == {"sessions": 1, "orphans": 1, "temporary": 0}
    assert list(UploadSession.objects.all()) == [fresh]
    assert multipart(s3) == [(fresh_key, fresh.upload_id)]
    orphan_tail = "staging/partial/" + "c" * 32 + ".tail"
    assert s3.keys("staging/") == sorted([fresh_key + ".tail", orphan_tail])

    # Two days later, with the fresh session still in use: only the orphan's tail goes.
    UploadSession.objects.filter(pk=fresh.pk).update(updated_at=timezone.now() + 2 * DAY)
    counts = resumable.upload_sessions_purge(older_than=DAY, now=timezone.now() + 2 * DAY)

    assert counts == {"sessions": 0, "orphans": 1, "temporary": 0}
    assert multipart(s3) == [(fresh_key, fresh.upload_id)]
    assert s3.keys("staging/") == [fresh_key + ".tail"]
    assert orphan["UploadId"] not in dict(multipart(s3)).values()
