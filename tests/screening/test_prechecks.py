import io
import shutil
import subprocess

import pytest
from PIL import Image

from gongchuang.screening.enums import FindingCode
from gongchuang.screening.models import DuplicateMatch, PreCheck
from gongchuang.screening.prechecks import run_prechecks
from gongchuang.screening.selectors import describe_findings

from . import factories


def _jpeg_variant(png: bytes, size=(200, 150), quality=70) -> bytes:
    img = Image.open(io.BytesIO(png)).convert("RGB").resize(size)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality)
    return out.getvalue()


def _picture(seed: int) -> bytes:
    import numpy as np

    rng = np.random.default_rng(seed)
    small = (rng.random((8, 8, 3)) * 255).astype("uint8")
    img = Image.fromarray(small).resize((320, 240), Image.Resampling.BICUBIC)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _art(edition, units, data, name="a.png", mime="image/png", **kw):
    work = factories.work(edition, unit=units["hd"], school=units["hd_school"], submit=False, **kw)
    factories.attach(work, slot="artwork", data=data, name=name, kind="image", mime=mime)
    factories.attach(
        work,
        slot="statement",
        data=b"%PDF-1.4\n%%EOF\n",
        name="s.pdf",
        kind="pdf",
        mime="application/pdf",
    )
    factories.attach(
        work,
        slot="process",
        data=b"%PDF-1.4\n%%EOF\n",
        name="p.pdf",
        kind="pdf",
        mime="application/pdf",
    )
    from gongchuang.submissions.services import transition_work

    return transition_work(work, "submitted", actor=work.created_by)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_submit_runs_precheck_in_background(edition, units, on_commit):
    with on_commit():
        work = _art(edition, units, _picture(1))
    precheck = PreCheck.objects.get(work=work)
    assert (precheck.status, precheck.findings) == ("done", [])


def test_reencoded_resized_copy_is_flagged_unrelated_is_not(edition, units, on_commit):
    original = _picture(1)
    with on_commit():
        first = _art(edition, units, original)
        unrelated = _art(edition, units, _picture(2))
        copy = _art(edition, units, _jpeg_variant(original), name="copy.jpg", mime="image/jpeg")
    matches = list(DuplicateMatch.objects.filter(work=copy).values_list("other_id", "kind"))
    assert matches == [(first.pk, "image")]
    assert list(DuplicateMatch.objects.filter(work=first).values_list("other_id", flat=True)) == [
        copy.pk
    ]
    assert not DuplicateMatch.objects.filter(work=unrelated).exists()
    findings = describe_findings(type(copy).objects.select_related("precheck").get(pk=copy.pk))
    assert findings[0]["other"] == first
    assert findings[0]["text"] == f"与2026届作品 {first.code} 相似 100%"
    assert findings[0]["kind"] == "image"


def test_copied_abstract_is_flagged(edition, units, on_commit):
    text = (
        "本作品利用大语言模型构建了一个帮助老年人阅读药品说明书的智能体，"
        "能够识别药品名称、用法用量和注意事项，并用语音播报。"
    )
    with on_commit():
        a = factories.work(
            edition,
            unit=units["hd"],
            school=units["hd_school"],
            abstract=text,
            category="ai_scientist",
        )
        b = factories.work(
            edition,
            unit=units["cy"],
            school=units["cy_school"],
            abstract=text.replace("，", " "),
            category="ai_scientist",
        )
        c = factories.work(
            edition,
            unit=units["hd"],
            school=units["hd_school"],
            category="ai_scientist",
            abstract="通过机器学习方法分析北京市近十年的空气质量监测数据，预测冬季重污染天气的出现概率并提出建议。",
        )
    assert list(DuplicateMatch.objects.filter(work=b).values_list("other_id", "kind")) == [
        (a.pk, "text")
    ]
    assert not DuplicateMatch.objects.filter(work=c).exists()


def test_missing_material_wrong_type_and_missing_file(edition, units, on_commit):
    work = factories.work(edition, unit=units["hd"], school=units["hd_school"], submit=False)
    factories.attach(
        work,
        slot="artwork",
        data=b"%PDF-1.4\n%%EOF\n",
        name="画.png",
        kind="image",
        mime="image/png",
    )
    gone = factories.attach(
        work,
        slot="statement",
        data=b"%PDF-1.4\n",
        name="说明.pdf",
        kind="pdf",
        mime="application/pdf",
    )
    gone.file.storage.delete(gone.file.name)
    from gongchuang.submissions.services import transition_work

    with on_commit():
        transition_work(work, "submitted", actor=work.created_by)
    codes = sorted(
        (f["code"], f.get("file") or f.get("slot"))
        for f in PreCheck.objects.get(work=work).findings
    )
    assert codes == [
        (FindingCode.MISSING_FILE, "说明.pdf"),
        (FindingCode.MISSING_MATERIAL, "AI 工具与提示词/创作过程记录（PDF）"),
        (FindingCode.WRONG_TYPE, "画.png"),
    ]


def _ffmpeg(*args: str) -> None:
    """Run ffmpeg quietly; the test is skipped where ffmpeg is not installed."""
    if not shutil.which("ffmpeg"):
        pytest.skip("ffmpeg not installed")
    subprocess.run(["ffmpeg", "-v", "error", *args], check=True)


def _test_video(path, *, seconds: int, size: str):
    """A generated test-pattern video at ``path`` (5 frames a second)."""
    pattern = f"testsrc=duration={seconds}:size={size}:rate=5"
    _ffmpeg("-f", "lavfi", "-i", pattern, "-pix_fmt", "yuv420p", str(path))
    return path


def test_video_over_limit_is_flagged(edition, units, settings, tmp_path):
    path = _test_video(tmp_path / "v.mp4", seconds=3, size="160x120")
    edition.settings = {**edition.settings, "video_max_seconds": 2}
    edition.save()
    work = factories.work(
        edition, unit=units["hd"], school=units["hd_school"], submit=False, category="ai_agent"
    )
    factories.attach(
        work,
        slot="demo_video",
        data=path.read_bytes(),
        name="演示.mp4",
        kind="video",
        mime="video/mp4",
    )
    precheck = run_prechecks(work.pk)
    too_long = [f for f in precheck.findings if f["code"] == FindingCode.VIDEO_TOO_LONG]
    assert too_long == [{"code": "video_too_long", "file": "演示.mp4", "seconds": 3, "limit": 2}]


def test_review_page_shows_findings_and_link(client, edition, units, roles, on_commit):
    original = _picture(3)
    with on_commit():
        first = _art(edition, units, original)
        copy = _art(edition, units, _jpeg_variant(original), name="copy.jpg", mime="image/jpeg")
    client.force_login(roles["organizer"])
    from django.urls import reverse

    response = client.get(reverse("screening:unit_work", args=[copy.pk]))
    assert f"与2026届作品 {first.code} 相似" in response.text
    assert "本作品的某张图片或视频画面与相似作品中的图片相似" in response.text
    assert reverse("screening:unit_work", args=[first.pk]) in response.text


def test_resubmission_runs_the_precheck_again(edition, units, roles, on_commit):
    from gongchuang.screening.services import work_return
    from gongchuang.submissions.services import transition_work

    with on_commit():
        work = factories.work(edition, unit=units["hd"], school=units["hd_school"])
    assert PreCheck.objects.get(work=work).findings[0]["code"] == "missing_material"
    with on_commit():
        work_return(work=work, actor=roles["organizer"], reason="缺材料")
    for slot in ("artwork", "statement", "process"):
        data = factories.png_bytes() if slot == "artwork" else b"%PDF-1.4\n%%EOF\n"
        factories.attach(work, slot=slot, data=data, name=f"{slot}.bin", kind="x", mime="x")
    with on_commit():
        transition_work(work, "submitted", actor=work.created_by)
    assert PreCheck.objects.get(work=work).findings == []


def test_checklist_hints(edition, units):
    from gongchuang.screening.selectors import checklist_hints

    work = factories.work(
        edition,
        unit=units["hd"],
        school=units["hd_school"],
        ai_tools="",
        level="primary",
        category="ai_company",
    )
    hints = checklist_hints(work)
    assert hints == {
        "materials": False,
        "eligibility": hints["eligibility"],
        "ai_declaration": False,
        "originality": True,
        "content": None,
    }
    assert hints["eligibility"] is work.category.accepts_level("primary")


def test_same_video_is_flagged_as_duplicate(edition, units, tmp_path, on_commit):
    original = _test_video(tmp_path / "a.mp4", seconds=2, size="320x240")
    smaller = tmp_path / "b.mp4"
    scale = ("-vf", "scale=160:120", "-crf", "35", "-pix_fmt", "yuv420p")
    _ffmpeg("-i", str(original), *scale, str(smaller))
    works = []
    for path in (original, smaller):
        work = factories.work(
            edition, unit=units["hd"], school=units["hd_school"], category="ai_agent"
        )
        factories.attach(
            work,
            slot="demo_video",
            data=path.read_bytes(),
            name="v.mp4",
            kind="video",
            mime="video/mp4",
        )
        works.append(work)
    run_prechecks(works[0].pk)
    run_prechecks(works[1].pk)
    assert list(DuplicateMatch.objects.filter(work=works[1]).values_list("other_id", "kind")) == [
        (works[0].pk, "image")
    ]


def test_rerun_button_requeues_and_is_scoped(client, edition, units, roles, on_commit):
    from django.urls import reverse

    hd = factories.work(edition, unit=units["hd"], school=units["hd_school"])
    cy = factories.work(edition, unit=units["cy"], school=units["cy_school"])
    client.force_login(roles["organizer"])
    with on_commit():
        response = client.post(reverse("screening:unit_precheck", args=[hd.pk]), follow=True)
    assert "自动预检将在后台重新运行。" in response.text
    assert PreCheck.objects.get(work=hd).status == "done"
    assert client.post(reverse("screening:unit_precheck", args=[cy.pk])).status_code == 404


def test_management_command_checks_every_submitted_work(edition, units):
    from django.core.management import call_command

    works = [factories.work(edition, unit=units["hd"], school=units["hd_school"]) for _ in range(2)]
    call_command("screening_precheck", "--edition", edition.slug)
    assert PreCheck.objects.filter(work__in=works, status="done").count() == 2


def test_withdrawn_recommendation_does_not_rerun_precheck(edition, units, roles, on_commit):
    from gongchuang.screening.services import recommendation_withdraw, work_recommend

    with on_commit():
        work = factories.work(edition, unit=units["hd"], school=units["hd_school"])
    PreCheck.objects.filter(work=work).update(findings=[{"code": "marker"}])
    with on_commit():
        work = work_recommend(work=work, actor=roles["organizer"])
        recommendation_withdraw(work=work, actor=roles["organizer"])
    assert PreCheck.objects.get(work=work).findings == [{"code": "marker"}]


def test_linear_image_scan_agrees_with_near_duplicate_index():
    import random

    from gongchuang.screening import similarity
    from gongchuang.screening.prechecks import image_matches

    rnd = random.Random(7)
    base = [rnd.getrandbits(64) for _ in range(20)]

    def near(value, flips):
        for bit in rnd.sample(range(64), flips):
            value ^= 1 << bit
        return value

    others, ids = [], []
    for n in range(300):
        p = near(rnd.choice(base), rnd.randint(0, 14)) if n % 2 else rnd.getrandbits(64)
        d = near(p, rnd.randint(0, 30))
        others.append(f"{p:016x}{d:016x}")
        ids.append(n // 2)  # two hashes per work, like video frames
    others += ["0" * 32, "f" * 32]  # flat images match nothing
    ids += [500, 501]
    mine = [f"{near(b, 3):016x}{near(b, 5):016x}" for b in base[:5]] + ["0" * 32]

    index = similarity.NearDuplicateIndex()
    by_work: dict[int, list[str]] = {}
    for i, fp in zip(ids, others, strict=True):
        by_work.setdefault(i, []).append(fp)
    for i, fps in by_work.items():
        index.add(i, image_hashes=fps)
    expected = {(m.other_id, m.distance) for m in index.query(image_hashes=mine)}

    found = {(m.other_id, m.distance) for m in image_matches(mine, ids, others)}
    assert found == expected
    assert len(found) > 5


def test_image_pair_shows_the_other_works_images_only_to_who_may_open_it(
    client, edition, units, roles, on_commit
):
    from django.urls import reverse

    original = _picture(5)
    with on_commit():
        first = _art(edition, units, original)
        copy = _art(edition, units, _jpeg_variant(original), name="copy.jpg", mime="image/jpeg")
    first_image = reverse("screening:work_file", args=[first.files.get(kind="image").pk])
    copy_image = reverse("screening:work_file", args=[copy.files.get(kind="image").pk])
    client.force_login(roles["organizer"])  # HD organizer: may open both HD works
    body = client.get(reverse("screening:unit_work", args=[copy.pk])).content.decode()
    assert f'<img src="{copy_image}" alt="" class="thumb"' in body
    assert f'<img src="{first_image}" alt="" class="thumb"' in body

    type(first).objects.filter(pk=first.pk).update(unit=units["cy"], school=units["cy_school"])
    body = client.get(reverse("screening:unit_work", args=[copy.pk])).content.decode()
    assert f'<img src="{copy_image}" alt="" class="thumb"' in body
    assert first_image not in body
    assert "不显示：您无权查看该作品。" in body
