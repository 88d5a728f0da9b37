"""Public pages label AI-generated content explicitly; public image downloads carry the
platform's implicit label (GB 45438-2025) while the stored original stays unchanged."""

import hashlib
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from gongchuang.submissions import aigc
from gongchuang.submissions.models import Work

from ..submissions.aigc_files import plain_jpeg, png_with_text_label
from .helpers import add_file, make_work, png_bytes

pytestmark = pytest.mark.django_db

LABEL = "含AI生成内容"


def _declare(work, tools=("jimeng", "tongyi"), other=""):
    work.ai_tool_list, work.ai_tools = list(tools), other
    work.ai_generated, work.ai_contribution = "画面初稿", "构图与修改"
    work.code = f"2026-ART-HD-{work.pk:04d}"
    work.save()
    return work


@pytest.fixture
def labelled(edition, units, roles):
    hd = units["hd_school"]
    works = {
        "ai": _declare(make_work(edition, school=hd, title="即梦画作", author=roles["student"])),
        "none": make_work(edition, school=hd, title="手绘作品", created_by=roles["student"]),
        "case": _declare(
            make_work(edition, school=hd, title="AI 教学案例", category="teaching_case",
                      level="", author=roles["teacher"]),
            tools=("doubao",), other="Suno",
        ),
    }  # fmt: skip
    add_file(works["ai"], kind="image", name="画.png", data=png_bytes())  # carries no label
    add_file(works["none"], kind="image", name="手绘.png")
    return works


def _label_count(body: str) -> int:
    return body.count('data-testid="ai-label"')


def test_showcase_labels_the_unlabelled_ai_image_with_its_declared_tools(client, labelled):
    body = client.get(reverse("portal:showcase")).content.decode()
    assert f'<span class="ai-label-badge">{LABEL}</span>' in body
    assert "（即梦、通义千问）" in body
    assert _label_count(body) == 1  # the hand-drawn work is not labelled


def test_teaching_case_library_labels_ai_content(client, labelled):
    body = client.get(reverse("portal:teaching_cases")).content.decode()
    assert _label_count(body) == 1
    assert "（豆包、Suno）" in body


def test_work_page_labels_its_media(client, labelled):
    body = client.get(reverse("portal:work_detail", args=[labelled["ai"].pk])).content.decode()
    assert LABEL in body and "（即梦、通义千问）" in body
    plain = client.get(reverse("portal:work_detail", args=[labelled["none"].pk])).content.decode()
    assert LABEL not in plain


def test_results_page_labels_awarded_ai_works(client, labelled):
    body = client.get(reverse("portal:results")).content.decode()
    assert "即梦画作" in body and "手绘作品" in body
    assert _label_count(body) == 2  # the AI work and the AI teaching case


def test_public_download_carries_the_platform_label_and_the_original_is_unchanged(
    client, labelled, settings
):
    settings.SITE_URL = "https://ai.gongchuang.test"
    work = labelled["ai"]
    image = work.files.get()
    original = image.file.open("rb").read()
    image.file.close()
    response = client.get(reverse("portal:work_file", args=[image.pk]))
    served = b"".join(response.streaming_content)
    found = aigc.read_labels(io.BytesIO(served), "image/png")["aigc"]
    assert found == {
        "Label": "1",
        "ContentProducer": "即梦、通义千问",
        "ContentPropagator": "ai.gongchuang.test",
        "PropagateID": work.code,
        "source": "png-text",
    }
    assert Image.open(io.BytesIO(served)).tobytes() == Image.open(io.BytesIO(original)).tobytes()
    with image.file.open("rb") as handle:
        assert handle.read() == original
    assert aigc.read_labels(io.BytesIO(original), "image/png") == {}


def test_download_keeps_the_producers_label_fields(client, labelled, settings):
    settings.SITE_URL = "https://gongchuang.example.cn"
    work = labelled["ai"]
    image = add_file(work, kind="image", name="gen.png", data=png_with_text_label())
    image.ai_label = aigc.read_labels(io.BytesIO(png_with_text_label()), "image/png")
    image.save()
    served = b"".join(client.get(reverse("portal:work_file", args=[image.pk])).streaming_content)
    found = aigc.read_labels(io.BytesIO(served), "image/png")["aigc"]
    assert found["ContentProducer"] == "001191110108MA01TEST000000"
    assert found["ProduceID"] == "p-42"
    assert found["ContentPropagator"] == "gongchuang.example.cn"
    assert found["PropagateID"] == work.code


def test_jpeg_thumbnail_and_unlabelled_work_downloads(client, labelled):
    work = labelled["ai"]
    image = add_file(work, kind="image", name="photo.jpg", data=plain_jpeg())
    image.thumbnail.save("t.jpg", io.BytesIO(plain_jpeg()), save=True)
    thumb = client.get(reverse("portal:work_file", args=[image.pk]) + "?thumb=1")
    assert aigc.aigc_from_xmp(b"".join(thumb.streaming_content))["PropagateID"] == work.code
    plain = labelled["none"].files.get()
    served = b"".join(client.get(reverse("portal:work_file", args=[plain.pk])).streaming_content)
    with plain.file.open("rb") as handle:
        assert hashlib.sha256(served).digest() == hashlib.sha256(handle.read()).digest()


def test_district_showcase_labels_ai_content(client, labelled, units):
    unit = units["hd_school"].unit
    page = client.get(reverse("portal:unit", args=[unit.code])).content.decode()
    link = f"{reverse('portal:showcase')}?unit={unit.code}"
    assert link in page
    body = client.get(link).content.decode()
    assert _label_count(body) == 1 and "（即梦、通义千问）" in body


def test_demo_public_works_carry_their_declaration_and_the_label(client):
    call_command("seed_demo", stdout=io.StringIO())
    public = Work.objects.filter(is_public=True, showcase_consent=True)
    assert public.exists()
    assert [w.title for w in public if not w.declares_ai_content] == []
    body = client.get(reverse("portal:showcase")).content.decode()
    assert _label_count(body) == body.count('class="gallery-item"') > 0


def test_download_label_is_the_same_in_english(client, labelled):
    image = labelled["ai"].files.get()
    client.cookies["django_language"] = "en"
    served = b"".join(client.get(reverse("portal:work_file", args=[image.pk])).streaming_content)
    assert aigc.read_labels(io.BytesIO(served), "image/png")["aigc"]["ContentProducer"] == (
        "即梦、通义千问"
    )
