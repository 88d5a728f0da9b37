"""AI labels (GB 45438-2025, C2PA): read from uploads, the declaration needed to submit."""

import hashlib
import io

import pytest
from django.urls import reverse
from PIL import Image

from gongchuang.common.errors import DomainError
from gongchuang.submissions import aigc, services
from gongchuang.submissions.models import WorkFile

from .aigc_files import (
    PRODUCER_LABEL,
    jpeg_with_exif_label,
    plain_jpeg,
    plain_png,
    png_with_broken_c2pa_box,
    png_with_c2pa,
    png_with_text_label,
    png_with_xmp_label,
)
from .helpers import art_draft, complete_art_work

pytestmark = pytest.mark.django_db

FOUND = {"Label": "1", "ContentProducer": "001191110108MA01TEST000000", "ProduceID": "p-42"}


def test_reader_finds_gb45438_label_in_png_text_chunk():
    labels = aigc.read_labels(io.BytesIO(png_with_text_label()), "image/png")
    assert labels == {"aigc": {**FOUND, "source": "png-text"}}


def test_reader_finds_gb45438_label_in_xmp_packet():
    labels = aigc.read_labels(io.BytesIO(png_with_xmp_label()), "image/png")
    assert labels == {"aigc": {**FOUND, "source": "xmp"}}


def test_reader_finds_gb45438_label_in_exif_user_comment():
    labels = aigc.read_labels(io.BytesIO(jpeg_with_exif_label()), "image/jpeg")
    assert labels == {"aigc": {**FOUND, "source": "exif"}}


def test_reader_reads_a_signed_c2pa_manifest():
    labels = aigc.read_labels(io.BytesIO(png_with_c2pa()), "image/png")
    assert labels == {
        "c2pa": {
            "present": True,
            "claim_generator": "test-generator",
            "issuer": "Gongchuang tests",
            "validation_state": "Valid",
            "ai_generated": True,
        }
    }


def test_reader_records_an_unreadable_c2pa_box_as_present():
    labels = aigc.read_labels(io.BytesIO(png_with_broken_c2pa_box()), "image/png")
    assert labels == {"c2pa": {"present": True, "readable": False}}


@pytest.mark.parametrize("data", [plain_png(), plain_jpeg()])
def test_reader_finds_nothing_in_a_plain_image(data):
    assert aigc.read_labels(io.BytesIO(data), "image/png") == {}


def test_writer_labels_png_and_jpeg_without_changing_pixels():
    label = {**PRODUCER_LABEL, "ContentPropagator": "example.org", "PropagateID": "W-1"}
    for original, mime in ((png_with_text_label(), "image/png"), (plain_jpeg(), "image/jpeg")):
        labelled = aigc.with_label(original, label)
        found = aigc.read_labels(io.BytesIO(labelled), mime)["aigc"]
        assert {k: found[k] for k in label} == label
        assert aigc.aigc_from_xmp(labelled) == label
        before, after = Image.open(io.BytesIO(original)), Image.open(io.BytesIO(labelled))
        assert before.tobytes() == after.tobytes()
    assert aigc.with_label(b"%PDF-1.4", label) is None


def test_upload_records_the_label_read_before_metadata_is_stripped(client, edition, roles):
    student = roles["student"]
    work = art_draft(edition, student)
    data = png_with_text_label(with_gps=True)
    stored = services.workfile_store(
        work=work, slot="artwork", fileobj=io.BytesIO(data), name="gen.png", actor=student
    )
    stored = WorkFile.objects.get(pk=stored.pk)
    assert stored.ai_label == {"aigc": {**FOUND, "source": "png-text"}}
    client.force_login(student)
    page = client.get(reverse("submissions:work_detail", args=[work.pk])).content.decode()
    assert "文件含 GB 45438 隐式标识：Label 1，生成服务提供者 001191110108MA01TEST000000。" in page
    with stored.file.open("rb") as handle:
        kept = handle.read()
    assert kept != data  # the GPS position was stripped…
    assert b"GPS" not in kept and b"eXIf" not in kept


def test_upload_of_a_plain_image_or_pdf_records_no_label(edition, roles):
    student = roles["student"]
    work = complete_art_work(edition, student)
    assert [f.ai_label for f in work.files.order_by("slot")] == [{}, {}, {}]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ai_tools": "", "ai_tool_list": []}, "AI 使用声明未填写使用的 AI 工具。"),
        (
            {"ai_tools": "", "ai_tool_list": ["other"]},
            "AI 使用声明勾选了“其他”工具，请写明工具名称。",
        ),
        ({"ai_generated": ""}, "AI 使用声明未说明哪些部分由 AI 生成。"),
        ({"ai_contribution": " "}, "AI 使用声明未说明本人贡献。"),
    ],
)
def test_submit_is_refused_without_a_complete_declaration(edition, roles, overrides, message):
    work = complete_art_work(edition, roles["student"], **overrides)
    with pytest.raises(DomainError) as exc:
        services.work_submit(work=work, actor=roles["student"])
    assert str(exc.value) == message
    work.refresh_from_db()
    assert work.state == "draft"


def test_submit_accepts_tools_from_the_list_alone(edition, roles):
    work = complete_art_work(edition, roles["student"], ai_tools="", ai_tool_list=["jimeng"])
    services.work_submit(work=work, actor=roles["student"])
    work.refresh_from_db()
    assert work.state == "submitted"
    assert work.ai_tool_names == ["即梦"]


def test_unknown_tool_is_refused_by_the_service_and_the_form(client, edition, roles):
    work = art_draft(edition, roles["student"])
    with pytest.raises(DomainError) as exc:
        services.work_update(work=work, actor=roles["student"], ai_tool_list=["gpt-9"])
    assert str(exc.value) == "请从列表中选择 AI 工具。"
    client.force_login(roles["student"])
    response = client.post(
        reverse("submissions:work_edit", args=[work.pk]),
        {"title": "新", "ai_tool_list": ["gpt-9"], "originality_pledge": "on"},
    )
    assert "gpt-9" in response.content.decode()  # the form says the choice is not valid
    work.refresh_from_db()
    assert (work.title, work.ai_tool_list) == ("水墨北京", [])


def test_declaration_is_saved_in_list_order_and_shown(client, edition, roles):
    work = art_draft(edition, roles["student"])
    services.work_update(
        work=work, actor=roles["student"], ai_tool_list=["kimi", "doubao"], ai_tools="Suno"
    )
    work.refresh_from_db()
    assert work.ai_tool_list == ["doubao", "kimi"]
    assert work.ai_tool_names == ["豆包", "Kimi", "Suno"]
    client.force_login(roles["student"])
    body = client.get(reverse("submissions:work_detail", args=[work.pk])).content.decode()
    assert "豆包、Kimi、Suno" in body
    assert "构图与修改" in body


def test_stored_original_is_byte_identical_for_a_labelled_upload_without_other_metadata(
    edition, roles
):
    data = png_with_text_label()
    work = art_draft(edition, roles["student"])
    stored = services.workfile_store(
        work=work, slot="artwork", fileobj=io.BytesIO(data), name="a.png", actor=roles["student"]
    )
    with stored.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    "data",
    [
        aigc.PNG_SIGNATURE + b"\0\0\0\x05tEXtAIGC",  # a chunk cut short
        aigc.PNG_SIGNATURE + aigc._png_chunk(b"tEXt", b"AIGC\0" + b"[" * 100_000),
        b"\xff\xd8\xff\xe1\x00",  # a segment length cut short
        b"\xff\xd8\xff\xe1\x00\x10Exif\0\0garbage!",
        b"\xff\xd8\xff\xeb\xff\xff" + b"junk",  # an APP11 segment cut short
    ],
)
def test_reader_survives_damaged_files(data):
    assert aigc.read_labels(io.BytesIO(data), "image/png") == {}
