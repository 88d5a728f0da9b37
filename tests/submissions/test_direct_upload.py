"""Big files straight from the browser to the S3 bucket (presigned POST), against a real S3 API.

The browser's part is played by ``requests`` POSTing the file to the presigned URL over
HTTP, exactly as the page's script does; moto serves the bucket (tests/submissions/s3.py).
"""

import base64
import datetime
import hashlib
import io
import json
import zipfile

import pytest
import requests
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from storages.backends.s3 import S3Storage as DjangoStoragesS3

from gongchuang.common.audit import AuditEvent
from gongchuang.common.files.hashing import sha256_of
from gongchuang.common.files.validate import validate_upload
from gongchuang.common.s3 import S3ObjectReader
from gongchuang.editions.enums import Step
from gongchuang.submissions import services
from gongchuang.submissions.models import WorkFile

from .helpers import art_draft, category, mp4_bytes, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
HTML_AS_PNG = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def login(client, user):
    client.force_login(user, backend="gongchuang.accounts.backends.UsernameEmailMobileBackend")
    return client


def presign(client, work, *, slot="artwork", name="video.mp4", size=1000):
    return client.post(
        reverse("submissions:direct_presign", args=[work.pk]),
        data=json.dumps({"slot": slot, "name": name, "size": size}),
        content_type="application/json",
    )


def complete(client, work, key, name):
    return client.post(
        reverse("submissions:direct_complete", args=[work.pk]),
        data=json.dumps({"key": key, "name": name}),
        content_type="application/json",
    )


def browser_post(target: dict, name: str, data: bytes) -> requests.Response:
    """What the page's script does: a multipart POST of the policy fields, then the file."""
    return requests.post(
        target["url"], data=target["fields"], files={"file": (name, data)}, timeout=30
    )


def direct_upload(client, work, *, slot, name, data):
    target = presign(client, work, slot=slot, name=name, size=len(data)).json()
    assert browser_post(target, name, data).status_code == 204
    return target, complete(client, work, target["key"], name)


def normal_upload_messages(client, work, *, slot, name, data):
    upload = io.BytesIO(data)
    upload.name = name
    response = client.post(
        reverse("submissions:file_upload", args=[work.pk]),
        {"slot": slot, "file": upload},
        follow=True,
    )
    return [str(m) for m in response.context["messages"]]


def policy_of(target: dict) -> dict:
    return json.loads(base64.b64decode(target["fields"]["policy"]))


def scientist_draft(edition, student):
    return services.work_create(
        actor=student,
        edition=edition,
        category=category(edition, "ai_scientist"),
        title="城市热岛",
        abstract="用 AI 分析北京热岛效应。",
    )


def zip_bomb() -> bytes:
    """20 MB of zeros in one member: compresses about 1000:1 (limit: 100:1 past 10 MB)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.bin", b"\0" * (20 * MB))
    return buf.getvalue()


def big_mp4(megabytes: int) -> bytes:
    payload = bytes(range(256)) * (megabytes * MB // 256)
    return mp4_bytes(payload)


# --- presign: the same gate as a normal upload -------------------------------------


def test_presign_gives_a_policy_for_one_staging_key_of_the_work(client, s3, edition, roles):
    work = art_draft(edition, roles["student"])
    response = presign(login(client, roles["student"]), work, size=300 * MB)
    assert response.status_code == 201
    target = response.json()
    assert target["url"] == f"{s3.endpoint}/{s3.bucket}"
    prefix = f"staging/works/{work.pk}/"
    assert target["key"].startswith(prefix) and target["key"].endswith("/artwork")
    assert len(target["key"][len(prefix) :].split("/")[0]) == 32  # random component
    assert target["fields"]["key"] == target["key"]
    policy = policy_of(target)
    # The bucket refuses anything outside 1 byte … the material's maximum (500 MB here).
    assert ["content-length-range", 1, 500 * MB] in policy["conditions"]
    assert {"key": target["key"]} in policy["conditions"]
    expires = datetime.datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert (
        datetime.timedelta(minutes=14) < expires - timezone.now() <= datetime.timedelta(minutes=15)
    )
    # Another presign gets another key: two uploads never meet in the staging area.
    assert presign(client, work, size=300 * MB).json()["key"] != target["key"]


def test_presign_policy_limit_follows_the_material(client, s3, edition, roles):
    work = art_draft(edition, roles["student"])
    target = presign(login(client, roles["student"]), work, slot="statement", size=MB).json()
    assert ["content-length-range", 1, 20 * MB] in policy_of(target)["conditions"]


def test_presign_refused_for_another_students_work(client, s3, edition, roles):
    work = art_draft(edition, roles["student"])
    response = presign(login(client, roles["student_b"]), work)
    assert response.status_code == 404


def test_presign_refused_for_a_coordinator_who_may_see_the_work(client, s3, edition, roles):
    work = art_draft(edition, roles["student"])
    response = presign(login(client, roles["coordinator"]), work)
    assert response.status_code == 400
    assert response.json()["error"] == "只有作品作者可以修改作品。"


def test_presign_refused_when_the_window_is_closed(client, s3, edition, roles):
    work = art_draft(edition, roles["student"])
    window = edition.windows.get(step=Step.SUBMISSION)
    window.closes_at = timezone.now() - datetime.timedelta(seconds=1)
    window.save()
    response = presign(login(client, roles["student"]), work)
    assert response.status_code == 400
    assert response.json() == {
        "error": "本届作品申报已截止，作品不能再修改或提交。",
        "code": "window_closed",
    }


@pytest.mark.parametrize(
    ("slot", "size", "error"),
    [
        ("no_such_slot", 1000, "该作品没有这项材料。"),
        ("../artwork", 1000, "该作品没有这项材料。"),
        ("artwork", 0, "文件是空的（0 字节）。请重新选择文件。"),
        ("artwork", 500 * MB + 1, "文件过大。此项材料的上限为 500 MB。"),
    ],
)
def test_presign_refused_for_bad_slot_or_size(client, s3, edition, roles, slot, size, error):
    work = art_draft(edition, roles["student"])
    response = presign(login(client, roles["student"]), work, slot=slot, size=size)
    assert response.status_code == 400
    assert response.json()["error"] == error
    assert s3.keys() == []


def test_presign_and_complete_need_the_csrf_token(s3, edition, roles):
    work = art_draft(edition, roles["student"])
    client = login(Client(enforce_csrf_checks=True), roles["student"])
    assert presign(client, work).status_code == 403
    assert (
        complete(client, work, f"staging/works/{work.pk}/{'a' * 32}/artwork", "a.mp4").status_code
        == 403
    )


def test_direct_endpoints_do_not_exist_with_local_storage(client, edition, roles):
    work = art_draft(edition, roles["student"])
    login(client, roles["student"])
    assert presign(client, work).status_code == 404
    assert complete(client, work, "staging/x", "a.mp4").status_code == 404


# --- the whole path ---------------------------------------------------------------


def test_big_video_goes_to_the_bucket_and_becomes_the_works_file(
    client, s3, edition, roles, monkeypatch, django_capture_on_commit_callbacks
):
    work = art_draft(edition, roles["student"])
    login(client, roles["student"])
    data = big_mp4(3)

    def no_upload_through_the_server(self, name, content):
        raise AssertionError("the file was streamed back through the server")

    monkeypatch.setattr(DjangoStoragesS3, "_save", no_upload_through_the_server)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _, response = direct_upload(client, work, slot="artwork", name="我的视频.mp4", data=data)

    assert response.status_code == 200, response.content
    work_file = WorkFile.objects.get(work=work)
    assert response.json() == {
        "id": work_file.pk,
        "name": "我的视频.mp4",
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    assert (work_file.slot, work_file.kind, work_file.mime, work_file.size) == (
        "artwork", "video", "video/mp4", len(data),
    )  # fmt: skip
    # Copied to its final, unguessable name; the staging object is gone.
    assert s3.keys("staging/") == []
    assert s3.keys() == [work_file.file.name]
    assert work_file.file.name.startswith(f"works/{edition.pk}/")
    head = s3.client.head_object(Bucket=s3.bucket, Key=work_file.file.name)
    assert head["ContentLength"] == len(data)
    # Audited like any upload, and the poster frame is queued after commit.
    event = AuditEvent.objects.get(action="work.file_add")
    assert event.after["sha256"] == hashlib.sha256(data).hexdigest()
    assert event.after["size"] == len(data)
    assert len(callbacks) == 1
    # Downloadable through the permission-checked view, byte for byte.
    download = client.get(reverse("submissions:file_download", args=[work_file.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data
    assert (
        login(Client(), roles["student_b"])
        .get(reverse("submissions:file_download", args=[work_file.pk]))
        .status_code
        == 404
    )


def test_direct_upload_replaces_the_previous_file_of_the_material(
    client, s3, edition, roles, django_capture_on_commit_callbacks
):
    work = art_draft(edition, roles["student"])
    login(client, roles["student"])
    _, first = direct_upload(client, work, slot="artwork", name="a.mp4", data=big_mp4(1))
    with django_capture_on_commit_callbacks(execute=True):  # the old bytes go after commit
        _, second = direct_upload(client, work, slot="artwork", name="b.mp4", data=mp4_bytes())
    assert (first.status_code, second.status_code) == (200, 200)
    work_file = WorkFile.objects.get(work=work)
    assert work_file.original_name == "b.mp4"
    assert s3.keys() == [work_file.file.name]
    assert s3.body(work_file.file.name) == mp4_bytes()


def test_direct_upload_of_an_image_with_gps_is_stored_without_it(client, s3, edition, roles):
    from PIL import Image

    buf = io.BytesIO()
    exif = Image.Exif()
    exif[0x8825] = {2: (39.0, 54.0, 27.0)}  # GPS latitude
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buf, format="JPEG", exif=exif)
    work = art_draft(edition, roles["student"])
    _, response = direct_upload(
        login(client, roles["student"]), work, slot="artwork", name="photo.jpg", data=buf.getvalue()
    )
    assert response.status_code == 200, response.content
    work_file = WorkFile.objects.get(work=work)
    with Image.open(io.BytesIO(s3.body(work_file.file.name))) as stored:
        assert not stored.getexif()
    assert s3.keys("staging/") == []


# --- refused files are deleted, with the normal upload's message --------------------


@pytest.mark.parametrize(
    ("make_work", "slot", "name", "data"),
    [
        (art_draft, "artwork", "artwork.png", HTML_AS_PNG),
        (scientist_draft, "data_code", "data.zip", zip_bomb()),
    ],
    ids=["html-as-png", "zip-bomb"],
)
def test_dangerous_file_is_refused_and_deleted(
    client, s3, edition, roles, make_work, slot, name, data
):
    work = make_work(edition, roles["student"])
    login(client, roles["student"])
    expected = normal_upload_messages(client, work, slot=slot, name=name, data=data)

    _, response = direct_upload(client, work, slot=slot, name=name, data=data)

    assert response.status_code == 422
    assert [response.json()["error"]] == expected
    assert WorkFile.objects.filter(work=work).count() == 0
    assert s3.keys() == []


def test_zip_bomb_message_is_the_chinese_one(client, s3, edition, roles):
    work = scientist_draft(edition, roles["student"])
    _, response = direct_upload(
        login(client, roles["student"]), work, slot="data_code", name="data.zip", data=zip_bomb()
    )
    assert response.json()["code"] == "zip_bomb"
    assert response.json()["error"].startswith("这个压缩包解压后的数据量大得异常")


def test_object_larger_than_the_material_allows_is_refused_and_deleted(client, s3, edition, roles):
    # A store that ignores the policy's content-length-range (moto does) lets it through:
    # the server still refuses it by its real size, before reading any content.
    work = art_draft(edition, roles["student"])
    login(client, roles["student"])
    target = presign(client, work, slot="statement", name="s.pdf", size=MB).json()
    data = pdf_bytes() + b"\0" * (20 * MB)
    assert browser_post(target, "s.pdf", data).status_code == 204

    response = complete(client, work, target["key"], "s.pdf")

    assert response.status_code == 422
    assert response.json()["code"] == "too_large"
    assert response.json()["error"].startswith(
        "文件太大了（20.0 MB）。这项材料最大只能上传 20.0 MB。"
    )
    assert s3.keys() == []


def test_infected_file_is_refused_quarantined_and_deleted_from_the_bucket(
    client, s3, edition, roles, monkeypatch, settings, tmp_path
):
    from tests.security.test_clamav import EICAR, INFECTED_MESSAGE, FakeClamd, zip_with

    clamd = FakeClamd()
    monkeypatch.delenv("CLAMD_SOCKET", raising=False)
    monkeypatch.setenv("CLAMD_HOST", "127.0.0.1")
    monkeypatch.setenv("CLAMD_PORT", str(clamd.port))
    settings.QUARANTINE_DIR = tmp_path / "quarantine"
    infected = zip_with("eicar.com", EICAR)
    work = scientist_draft(edition, roles["student"])
    try:
        _, response = direct_upload(
            login(client, roles["student"]), work, slot="data_code", name="d.zip", data=infected
        )
    finally:
        clamd.close()
    assert response.status_code == 422
    assert response.json()["error"] == INFECTED_MESSAGE
    assert clamd.streams == [infected]  # read from the bucket, whole
    digest = hashlib.sha256(infected).hexdigest()
    assert (settings.QUARANTINE_DIR / f"{digest}.quarantined").read_bytes() == infected
    assert s3.keys() == []


# --- keys from the client --------------------------------------------------------


def test_key_outside_the_works_staging_prefix_is_refused_and_left_alone(client, s3, edition, roles):
    work = art_draft(edition, roles["student"])
    other = art_draft(edition, roles["student_b"])
    login(client, roles["student"])
    # A stored file of another work, and another work's staging upload.
    services.workfile_store(
        work=other, slot="artwork", fileobj=io.BytesIO(png_bytes()), name="b.png",
        actor=roles["student_b"],
    )  # fmt: skip
    stored = WorkFile.objects.get(work=other).file.name
    other_target = presign(login(Client(), roles["student_b"]), other).json()
    assert browser_post(other_target, "v.mp4", mp4_bytes()).status_code == 204
    token = "A" * 32
    keys = [
        stored,
        other_target["key"],
        other_target["key"].replace(f"/{other.pk}/", f"/{work.pk}/../{other.pk}/"),
        f"staging/works/{work.pk}/../{other.pk}/{other_target['key'].split('/')[-2]}/artwork",
        f"staging/works/{work.pk}/{token}/../../{other.pk}/x",
        f"staging/works/{work.pk}/{token}/artwork/extra",
        f"staging/works/{work.pk}/short/artwork",
        f"/staging/works/{work.pk}/{token}/artwork",
        f"staging/works/{work.pk}0/{token}/artwork",
        "",
    ]
    for key in keys:
        response = complete(client, work, key, "v.mp4")
        assert response.status_code == 422, key
        assert response.json() == {
            "error": "该上传不属于此作品，请重新上传文件。",
            "code": "bad_upload_key",
        }
    assert s3.keys() == sorted([stored, other_target["key"]])
    assert WorkFile.objects.filter(work=work).count() == 0


def test_complete_of_a_key_never_uploaded_says_so(client, s3, edition, roles):
    work = art_draft(edition, roles["student"])
    login(client, roles["student"])
    target = presign(client, work).json()
    response = complete(client, work, target["key"], "v.mp4")
    assert response.status_code == 422
    assert response.json()["error"] == "在存储中找不到已上传的文件，请重新上传。"


def test_complete_refused_for_a_coordinator_and_the_upload_is_kept(client, s3, edition, roles):
    work = art_draft(edition, roles["student"])
    target = presign(login(Client(), roles["student"]), work).json()
    assert browser_post(target, "v.mp4", mp4_bytes()).status_code == 204
    response = complete(login(client, roles["coordinator"]), work, target["key"], "v.mp4")
    assert response.status_code == 422
    assert response.json()["error"] == "只有作品作者可以修改作品。"
    assert s3.keys() == [target["key"]]


def test_complete_after_the_deadline_is_refused_and_deleted(client, s3, edition, roles):
    work = art_draft(edition, roles["student"])
    login(client, roles["student"])
    target = presign(client, work).json()
    assert browser_post(target, "v.mp4", mp4_bytes()).status_code == 204
    window = edition.windows.get(step=Step.SUBMISSION)
    window.closes_at = timezone.now() - datetime.timedelta(seconds=1)
    window.save()
    response = complete(client, work, target["key"], "v.mp4")
    assert response.status_code == 422
    assert response.json()["code"] == "window_closed"
    assert WorkFile.objects.count() == 0


# --- the page ---------------------------------------------------------------------


def test_page_offers_direct_uploads_and_allows_the_bucket_in_its_csp(client, s3, edition, roles):
    work = art_draft(edition, roles["student"])
    response = login(client, roles["student"]).get(work.get_absolute_url())
    html = response.content.decode()
    assert f'data-direct-presign="/works/{work.pk}/files/presign/"' in html
    assert f'data-direct-min-bytes="{20 * MB}"' in html
    assert "submissions/direct_upload.js" in html
    connect_src = next(
        d for d in response["Content-Security-Policy"].split(";") if "connect-src" in d
    )
    assert connect_src.split() == ["connect-src", "'self'", s3.endpoint]


def test_page_keeps_the_normal_upload_with_local_storage(client, edition, roles):
    work = art_draft(edition, roles["student"])
    response = login(client, roles["student"]).get(work.get_absolute_url())
    html = response.content.decode()
    assert "data-direct-presign" not in html and "direct_upload.js" not in html
    assert "data-upload-create" in html
    assert "connect-src 'self';" in response["Content-Security-Policy"] + ";"


# --- the ranged reader ------------------------------------------------------------


def test_validating_a_big_archive_reads_only_its_ends(s3):
    # 30 MB of stored (incompressible) data: the checks need the head and the central
    # directory, not the 30 MB in between.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("data.bin", hashlib.sha256(b"x").digest() * (30 * MB // 32))
        archive.writestr("readme.txt", "hello")
    s3.client.put_object(Bucket=s3.bucket, Key="staging/big.zip", Body=buf.getvalue())
    with S3ObjectReader.for_storage(default_storage, "staging/big.zip") as reader:
        sniffed = validate_upload(reader, name="big.zip", allowed_kinds={"zip"}, max_bytes=100 * MB)
        assert sniffed.kind == "zip"
        assert reader.requests <= 4
        assert reader.bytes_fetched < 512 * 1024


def test_reader_reads_like_a_file(s3):
    data = bytes(range(256)) * 4096 + b"end"
    s3.client.put_object(Bucket=s3.bucket, Key="k", Body=data)
    with S3ObjectReader.for_storage(default_storage, "k") as reader:
        assert reader.size == len(data)
        assert reader.read(4) == data[:4]
        assert reader.seek(-3, io.SEEK_END) == len(data) - 3
        assert reader.read() == b"end"
        assert reader.read(10) == b""
        reader.seek(1000)
        assert reader.read(70_000) == data[1000:71_000]
        reader.seek(0)
        assert reader.read() == data


def test_reader_hashes_a_big_object_in_few_requests(s3):
    data = hashlib.sha256(b"y").digest() * (20 * MB // 32)
    s3.client.put_object(Bucket=s3.bucket, Key="k", Body=data)
    with S3ObjectReader.for_storage(default_storage, "k") as reader:
        assert sha256_of(reader) == hashlib.sha256(data).hexdigest()
        # Read-ahead doubles on sequential reads (1, 2, 4, 8, 5 MiB): not one GET per MiB.
        assert reader.requests == 5
        assert reader.bytes_fetched == len(data)
