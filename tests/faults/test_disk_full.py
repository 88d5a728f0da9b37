"""Disk full during an upload: a clear Chinese error, nothing submitted, no orphan file row."""

import errno

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongchuang.common.errors import DomainError
from gongchuang.submissions import services
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import WorkFile
from tests.submissions.helpers import art_draft, pdf_bytes, png_bytes

pytestmark = pytest.mark.faults
FULL = "服务器存储空间已满，文件未能保存，请稍后再试。"


@pytest.fixture
def disk_full(monkeypatch):
    def no_space(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device", name)

    monkeypatch.setattr(FileSystemStorage, "_save", no_space)


def _stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_upload_on_a_full_disk_says_so_and_records_nothing(
    client, roles, edition, settings, disk_full
):
    student = roles["student"]
    draft = art_draft(edition, student)
    client.force_login(student)
    response = client.post(
        reverse("submissions:file_upload", args=[draft.pk]),
        {"slot": "artwork", "file": SimpleUploadedFile("画.png", png_bytes())},
    )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [FULL]
    draft.refresh_from_db()
    assert draft.state == WorkState.DRAFT and not draft.code
    assert not WorkFile.objects.filter(work=draft).exists()
    assert _stored_files(settings) == []
    # The submission refuses too (materials missing): nothing is marked submitted.
    client.post(reverse("submissions:work_submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.state == WorkState.DRAFT and draft.submitted_at is None


def test_service_raises_domain_error_and_keeps_previous_file(roles, edition, disk_full_later):
    student = roles["student"]
    draft, first = disk_full_later
    with pytest.raises(DomainError) as exc:
        services.workfile_store(
            work=draft, slot="statement", fileobj=__import__("io").BytesIO(pdf_bytes()),
            name="新说明.pdf", actor=student,
        )  # fmt: skip
    assert exc.value.code == "storage_full"
    assert list(WorkFile.objects.filter(work=draft, slot="statement")) == [first]
    assert first.file.storage.exists(first.file.name)


@pytest.fixture
def disk_full_later(roles, edition, monkeypatch):
    """A draft with one statement stored while the disk still had room; then the disk fills."""
    import io

    student = roles["student"]
    draft = art_draft(edition, student)
    first = services.workfile_store(
        work=draft,
        slot="statement",
        fileobj=io.BytesIO(pdf_bytes()),
        name="说明.pdf",
        actor=student,
    )

    def no_space(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device", name)

    monkeypatch.setattr(FileSystemStorage, "_save", no_space)
    return draft, first


def test_other_os_errors_are_not_disguised(roles, edition, monkeypatch):
    import io

    def broken(self, name, content):
        raise OSError(errno.EIO, "I/O error", name)

    monkeypatch.setattr(FileSystemStorage, "_save", broken)
    draft = art_draft(edition, roles["student"])
    with pytest.raises(OSError) as exc:
        services.workfile_store(
            work=draft, slot="artwork", fileobj=io.BytesIO(png_bytes()), name="a.png",
            actor=roles["student"],
        )  # fmt: skip
    assert exc.value.errno == errno.EIO
    assert not WorkFile.objects.filter(work=draft).exists()
