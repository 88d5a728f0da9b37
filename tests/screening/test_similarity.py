"""Tests for gongchuang.screening.similarity (near-duplicate detection)."""

import io
import random
import shutil
import subprocess
import time

import numpy as np
import pytest
from django.conf import settings
from PIL import Image, ImageDraw

if not settings.configured:
    settings.configure(USE_I18N=False)

from gongchuang.screening.similarity import (
    NUM_PERM,
    Match,
    NearDuplicateIndex,
    image_distance,
    image_fingerprint,
    normalise_text,
    text_signature,
    text_similarity,
    video_fingerprint,
)

HAS_FFMPEG = shutil.which("ffmpeg") is not None and shutil.which("ffprobe") is not None
needs_ffmpeg = pytest.mark.skipif(not HAS_FFMPEG, reason="ffmpeg/ffprobe not installed")


# --- builders ---------------------------------------------------------------


def artwork(seed, size=(800, 600)):
    """A photo-like picture: smooth colour field plus random shapes."""
    rng = np.random.default_rng(seed)
    field = rng.integers(0, 256, (6, 8, 3), dtype=np.uint8)
    img = Image.fromarray(field).resize(size, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(img)
    for _ in range(12):
        x, y = int(rng.integers(0, size[0])), int(rng.integers(0, size[1]))
        r = int(rng.integers(20, 150))
        draw.ellipse(
            [x - r, y - r, x + r, y + r], fill=tuple(int(v) for v in rng.integers(0, 256, 3))
        )
    return img


def encoded(img, fmt="PNG", **save):
    buf = io.BytesIO()
    img.save(buf, fmt, **save)
    buf.seek(0)
    return buf


def reencoded_copy(img):
    """The copy a plagiarist makes: resized to 60 % and saved as JPEG q70."""
    small = img.resize((int(img.width * 0.6), int(img.height * 0.6)), Image.Resampling.BILINEAR)
    return encoded(small, "JPEG", quality=70)


CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动"
    "同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自"
    "二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日"
    "那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变"
    "条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总"
    "次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指"
    "几九区强放决西被干做必战先回则任取据处理府研"
)
TOPICS = [
    (
        "我们设计了一个基于人工智能的校园垃圾分类助手。同学们用手机拍下垃圾的照片，"
        "模型会识别它属于可回收物、厨余垃圾、有害垃圾还是其他垃圾，并给出投放建议。"
        "我们收集了三千张照片进行训练，在测试集上的准确率达到百分之九十二。"
    ),
    (
        "本作品使用扩散模型创作了一组描绘北京中轴线四季变化的数字画作。"
        "我们先实地拍摄了钟鼓楼、景山和天坛，再用提示词控制画面的季节和光线，"
        "最后手工修改细节，让古建筑的比例保持准确。"
    ),
]


def mutate(text, changes, seed=0):
    """Replace ``changes`` characters: a copy with a few words altered."""
    rng = random.Random(seed)
    chars = list(text)
    for index in rng.sample(range(len(chars)), changes):
        chars[index] = rng.choice(CHARS)
    return "".join(chars)


def random_text(rng, length=150):
    return "".join(rng.choice(CHARS) for _ in range(length))


# --- images -----------------------------------------------------------------


def test_image_fingerprint_is_32_hex_chars():
    fingerprint = image_fingerprint(encoded(artwork(1)))
    assert len(fingerprint) == 32
    int(fingerprint, 16)


def test_image_fingerprint_is_deterministic():
    img = artwork(2)
    assert image_fingerprint(encoded(img)) == image_fingerprint(encoded(img))


@pytest.mark.parametrize("seed", range(10))
def test_reencoded_resized_jpeg_is_near_duplicate(seed):
    original = artwork(seed)
    first = image_fingerprint(encoded(original, "PNG"))
    copy = image_fingerprint(reencoded_copy(original))
    assert image_distance(first, copy) <= 10
    index = NearDuplicateIndex()
    index.add("original", image_hashes=[first])
    matches = index.add("copy", image_hashes=[copy])
    assert [(m.other_id, m.kind) for m in matches] == [("original", "image")]
    assert matches[0].score >= 1 - 10 / 64


@pytest.mark.parametrize("seed", range(10))
def test_unrelated_images_are_not_near_duplicates(seed):
    first = image_fingerprint(encoded(artwork(seed)))
    other = image_fingerprint(encoded(artwork(seed + 1000)))
    assert image_distance(first, other) > 10
    index = NearDuplicateIndex()
    index.add("a", image_hashes=[first])
    assert index.add("b", image_hashes=[other]) == []


def test_unrelated_noise_images_are_not_near_duplicates():
    first = Image.effect_noise((400, 300), 100).convert("RGB")
    second = Image.linear_gradient("L").resize((400, 300)).convert("RGB")
    index = NearDuplicateIndex()
    index.add("noise", image_hashes=[image_fingerprint(encoded(first))])
    assert index.add("gradient", image_hashes=[image_fingerprint(encoded(second))]) == []


def test_transparent_png_matches_its_flattened_jpeg():
    rgba = artwork(7).convert("RGBA")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    assert (
        image_distance(
            image_fingerprint(encoded(rgba, "PNG")),
            image_fingerprint(encoded(flat, "JPEG", quality=80)),
        )
        <= 4
    )


def test_blank_images_never_match():
    white = image_fingerprint(encoded(Image.new("RGB", (300, 300), "white")))
    black = image_fingerprint(encoded(Image.new("RGB", (300, 300), "black")))
    index = NearDuplicateIndex()
    index.add("white", image_hashes=[white])
    assert index.add("black", image_hashes=[black]) == []
    assert index.add("white again", image_hashes=[white]) == []


# --- video ------------------------------------------------------------------


def make_clip(path, source="testsrc", seconds=3):
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
         f"{source}=duration={seconds}:size=320x240:rate=10",
         "-c:v", "mpeg4", "-q:v", "3", "-pix_fmt", "yuv420p", str(path)],
        check=True,
        timeout=60,
    )  # fmt: skip
    return path


@needs_ffmpeg
def test_video_fingerprint_of_reencoded_video_matches(tmp_path):
    clip = make_clip(tmp_path / "a.mp4", "testsrc")
    copy = tmp_path / "copy.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-i", str(clip), "-vf", "scale=192:144",
         "-c:v", "mpeg4", "-q:v", "10", str(copy)],
        check=True,
        timeout=60,
    )  # fmt: skip
    other = make_clip(tmp_path / "b.mp4", "smptebars")
    hashes = video_fingerprint(clip)
    assert len(hashes) == 5
    index = NearDuplicateIndex()
    index.add("clip", image_hashes=hashes)
    index.add("other", image_hashes=video_fingerprint(other))
    matches = index.query(image_hashes=video_fingerprint(copy))
    assert [(m.other_id, m.kind) for m in matches] == [("clip", "image")]


def test_video_fingerprint_without_ffmpeg_is_empty(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    assert video_fingerprint(tmp_path / "missing.mp4") == []


# --- text -------------------------------------------------------------------


def test_normalise_text_folds_width_case_punctuation_and_space():
    assert normalise_text("ＡＩ 助手，Ｖ２！\n\t智能") == "ai助手v2智能"


def test_text_signature_is_json_storable_and_stable():
    signature = text_signature(TOPICS[0])
    assert len(signature) == NUM_PERM
    assert all(isinstance(v, int) and 0 <= v < 2**32 for v in signature)
    assert signature == text_signature(TOPICS[0])


@pytest.mark.parametrize("topic", TOPICS)
def test_chinese_texts_differing_in_a_few_characters_are_similar(topic):
    copy = mutate(topic, changes=4)
    assert copy != topic
    assert text_similarity(text_signature(topic), text_signature(copy)) >= 0.6


def test_punctuation_and_spacing_changes_do_not_hide_a_copy():
    respaced = TOPICS[0].replace("，", " , ").replace("。", ".\n")
    assert text_similarity(text_signature(TOPICS[0]), text_signature(respaced)) == 1.0


def test_unrelated_chinese_texts_are_not_similar():
    assert text_similarity(text_signature(TOPICS[0]), text_signature(TOPICS[1])) < 0.2


def test_empty_text_never_matches():
    assert text_signature("  ，。！ ") == []
    assert text_similarity([], []) == 0.0
    index = NearDuplicateIndex()
    index.add("a", text_signature=text_signature(""))
    assert index.add("b", text_signature=text_signature("")) == []


def test_text_similarity_rejects_mismatched_lengths():
    with pytest.raises(ValueError):
        text_similarity([1, 2], [1, 2, 3])


# --- index ------------------------------------------------------------------


def test_index_reports_other_id_kind_and_score():
    index = NearDuplicateIndex()
    fingerprint = image_fingerprint(encoded(artwork(3)))
    signature = text_signature(TOPICS[0])
    index.add(101, image_hashes=[fingerprint], text_signature=signature)
    matches = index.add(102, image_hashes=[fingerprint], text_signature=signature)
    assert matches == [Match(101, "image", 1.0, 0), Match(101, "text", 1.0)]
    assert index.pairs() == [(101, 102, matches[0]), (101, 102, matches[1])]


def test_index_rejects_duplicate_ids():
    index = NearDuplicateIndex()
    index.add("a")
    with pytest.raises(ValueError):
        index.add("a")


def flip_bits(value, count, rng):
    for bit in rng.sample(range(64), count):
        value ^= 1 << bit
    return value


def test_index_finds_planted_duplicates_among_2000_random_records():
    rng = random.Random(20261126)
    index = NearDuplicateIndex()
    records = []
    for item in range(2000):
        phash, dhash = rng.getrandbits(64), rng.getrandbits(64)
        records.append((item, f"{phash:016x}{dhash:016x}", random_text(rng)))
    # Plant: 20 image copies (1-10 pHash bits changed, dHash a little),
    # 20 text copies (a few characters changed), 5 that are both.
    planted = {}
    for n in range(45):
        source_id, fingerprint, text = records[rng.randrange(len(records))]
        phash, dhash = int(fingerprint[:16], 16), int(fingerprint[16:], 16)
        new_id = 10_000 + n
        if n < 20 or n >= 40:
            fingerprint = f"{flip_bits(phash, 1 + n % 10, rng):016x}{flip_bits(dhash, 3, rng):016x}"
            planted[(source_id, new_id, "image")] = True
        else:
            fingerprint = f"{rng.getrandbits(64):016x}{rng.getrandbits(64):016x}"
        if n >= 20:
            text = mutate(text, changes=3, seed=n)
            planted[(source_id, new_id, "text")] = True
        else:
            text = random_text(rng)
        records.append((new_id, fingerprint, text))

    started = time.perf_counter()
    for item, fingerprint, text in records:
        index.add(item, image_hashes=[fingerprint], text_signature=text_signature(text))
    elapsed = time.perf_counter() - started

    found = {(a, b, m.kind) for a, b, m in index.pairs()}
    assert found == set(planted)
    assert elapsed < 60


def test_index_probes_buckets_not_every_record():
    """Query cost must not grow with the number of unrelated records."""
    rng = random.Random(7)
    index = NearDuplicateIndex()
    for item in range(20_000):
        index.add(item, image_hashes=[f"{rng.getrandbits(64):016x}{rng.getrandbits(64):016x}"])
    probe = f"{rng.getrandbits(64):016x}{rng.getrandbits(64):016x}"
    compared = 0
    original = index._query_image

    def counting(fingerprint):
        nonlocal compared
        yield from original(fingerprint)
        phash = int(fingerprint[:16], 16)
        for band, value in enumerate(index._band_values(phash)):
            for neighbour in _neighbours(value, index._radius):
                compared += len(index._bands[band].get(neighbour, ()))

    index._query_image = counting
    index.query(image_hashes=[probe])
    assert compared < 1000  # vs. 20,000 for a linear scan


def _neighbours(value, radius):
    from gongchuang.screening.similarity import _band_neighbours

    return _band_neighbours(value, radius)
