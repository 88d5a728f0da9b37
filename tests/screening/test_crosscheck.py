"""Near-duplicates across the whole record: document text, past editions, imported works."""

import io
import random
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from gongchuang.editions import defaults
from gongchuang.editions.services import edition_create_from_defaults
from gongchuang.screening import crosscheck, extract, lsh, similarity
from gongchuang.screening.models import DuplicateMatch, Fingerprint, PreCheck, SimilarityKey
from gongchuang.screening.prechecks import run_prechecks
from gongchuang.screening.selectors import describe_findings
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work

from . import factories

pytestmark = pytest.mark.django_db

SENTENCES = [
    f"第{n}部分：本研究收集了北京市{n}个监测站{2010 + n % 15}年以来的数据，"
    f"使用第{n * 7}号模型比较了{n % 9 + 2}种方法在冬季的预测误差。"
    for n in range(1, 80)
]


def noise(seed: int, chars: int = 40) -> str:
    """Unrelated Chinese text (random characters): shares almost no 3-gram with anything."""
    rnd = random.Random(seed)
    return "".join(chr(rnd.randint(0x4E00, 0x9FA5)) for _ in range(chars)) + "。"


def report(start: int = 0, count: int = 40, replace: dict | None = None) -> str:
    lines = SENTENCES[start : start + count]
    for i, text in (replace or {}).items():
        lines[i] = text
    return "\n".join(lines)


def pdf_bytes(text: str) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.setFont("STSong-Light", 9)
    for n, line in enumerate(text.splitlines()):
        if n and n % 60 == 0:
            pdf.showPage()
            pdf.setFont("STSong-Light", 9)
        pdf.drawString(20, 800 - (n % 60) * 13, line)
    pdf.save()
    return out.getvalue()


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pptx_bytes(text: str) -> bytes:
    import pptx
    from pptx.util import Inches

    deck = pptx.Presentation()
    for line in text.splitlines():
        slide = deck.slides.add_slide(deck.slide_layouts[5])
        box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(8), Inches(2))
        box.text_frame.text = line
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _file(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- Extraction -------------------------------------------------------------


def test_text_is_extracted_from_pdf_docx_and_pptx(tmp_path):
    text = report(count=3)
    for kind, data in [("pdf", pdf_bytes(text)), ("docx", docx_bytes(text))]:
        got, note = extract.extract_text(_file(tmp_path, f"r.{kind}", data), kind)
        assert (got.split(), note) == (text.split(), "")
    got, note = extract.extract_text(_file(tmp_path, "r.pptx", pptx_bytes(text)), "pptx")
    assert (got.splitlines(), note) == (text.splitlines(), "")


def test_broken_encrypted_and_huge_documents_are_skipped_with_a_note(tmp_path, monkeypatch):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(report(count=2)))))
    writer.encrypt(user_password="secret", owner_password="owner")
    locked = io.BytesIO()
    writer.write(locked)
    cases = {
        "locked.pdf": (locked.getvalue(), "pdf", extract.NOTE_ENCRYPTED),
        "broken.pdf": (b"%PDF-1.4\n%%EOF\n", "pdf", extract.NOTE_UNREADABLE),
        "broken.docx": (b"PK\x03\x04 not a zip", "docx", extract.NOTE_UNREADABLE),
    }
    for name, (data, kind, note) in cases.items():
        assert extract.extract_text(_file(tmp_path, name, data), kind) == ("", note), name
    big = _file(tmp_path, "big.docx", docx_bytes(report()))
    monkeypatch.setattr(extract, "MAX_UNPACKED_BYTES", 1000)
    assert extract.extract_text(big, "docx") == ("", extract.NOTE_UNREADABLE)
    monkeypatch.setattr(extract, "MAX_BYTES", 100)
    assert extract.extract_text(big, "docx") == ("", extract.NOTE_TOO_LARGE)


def test_extraction_stops_at_the_character_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(extract, "MAX_CHARS", 100)
    got, note = extract.extract_text(_file(tmp_path, "r.docx", docx_bytes(report())), "docx")
    assert (len(got), note) == (100, "")


def test_matching_passages_pair_the_shared_sentences():
    mine = report(count=5, replace={0: "我们自己写的开头，与对方完全不同的一段文字内容。"})
    theirs = report(count=5, replace={4: "对方结尾处的一句话，说的是另外一件完全无关的事情。"})
    shared = [(SENTENCES[i], SENTENCES[i]) for i in (1, 2, 3)]
    assert extract.matching_passages(mine, theirs) == shared
    two = extract.matching_passages(mine, theirs, limit=2)
    assert len(two) == 2 and [shared.index(p) for p in two] == sorted(shared.index(p) for p in two)
    assert extract.matching_passages(mine, noise(1, 400)) == []


# --- LSH keys ---------------------------------------------------------------


def test_image_probes_find_every_hash_within_the_distance():
    rnd = random.Random(3)
    base = rnd.getrandbits(64)
    stored = {}
    for n in range(400):
        value = base
        for bit in rnd.sample(range(64), rnd.randint(0, 20)):
            value ^= 1 << bit
        stored[n] = value
    probes = set(lsh.image_probe_keys(base, 11))
    found = {n for n, value in stored.items() if probes & set(lsh.image_keys(value))}
    within = {n for n, value in stored.items() if (value ^ base).bit_count() <= 11}
    assert within <= found
    assert len(within) > 50


def test_text_keys_are_shared_by_near_duplicates_only():
    a = similarity.text_signature(report(count=40))
    b = similarity.text_signature(report(count=40, replace={3: "改写过的一句话，与原文不同。"}))
    c = similarity.text_signature("\n".join(noise(n) for n in range(40)))
    assert set(lsh.text_keys(a)) & set(lsh.text_keys(b))
    assert not set(lsh.text_keys(a)) & set(lsh.text_keys(c))
    assert len(lsh.text_keys(a)) == lsh.TEXT_BANDS


# --- Pre-check across editions ----------------------------------------------


@pytest.fixture
def past(db):
    edition, _ = edition_create_from_defaults(
        year=2025, slug="t2025", code="D25", windows=defaults.windows_for_year(2025)
    )
    return edition


def past_work(edition, units, *, text, code="D25-SCI-HD-0012", kind="pdf"):
    work = factories.work(
        edition,
        unit=units["hd"],
        school=units["hd_school"],
        category="ai_scientist",
        title="往届的空气质量研究",
        submit=False,
    )
    data = pdf_bytes(text) if kind == "pdf" else docx_bytes(text)
    factories.attach(work, slot="report", data=data, name=f"r.{kind}", kind=kind, mime="x")
    Work.objects.filter(pk=work.pk).update(state=WorkState.AWARDED, code=code)
    run_prechecks(work.pk)
    return Work.objects.get(pk=work.pk)


def new_work(edition, units, *, text, unit="cy"):
    work = factories.work(
        edition,
        unit=units[unit],
        school=units[f"{unit}_school"],
        category="ai_scientist",
        title="空气质量预测",
        submit=False,
    )
    factories.attach(
        work, slot="report", data=pdf_bytes(text), name="report.pdf", kind="pdf", mime="x"
    )
    Work.objects.filter(pk=work.pk).update(state=WorkState.SUBMITTED, code="2026-SCI-CY-0001")
    run_prechecks(work.pk)
    return Work.objects.select_related("precheck").get(pk=work.pk)


def _expected_percent(old: Work, new: Work, old_text: str, new_text: str) -> int:
    a = similarity.text_signature(f"{old.title}\n{old.abstract}\n{old_text}")
    b = similarity.text_signature(f"{new.title}\n{new.abstract}\n{new_text}")
    return round(similarity.text_similarity(a, b) * 100)


def test_report_copied_from_a_past_edition_is_flagged_with_percent(edition, past, units):
    old_text = report()
    new_text = report(replace={i: noise(i) for i in (2, 9, 17)})
    old = past_work(past, units, text=old_text, kind="docx")
    new = new_work(edition, units, text=new_text)
    percent = _expected_percent(old, new, old_text, new_text)
    assert 60 <= percent < 100
    findings = [f for f in describe_findings(new) if f["code"] == "near_duplicate"]
    assert [f["text"] for f in findings] == [f"与2025届作品 D25-SCI-HD-0012 相似 {percent}%"]
    assert findings[0]["other"] == old
    passages = findings[0]["passages"]
    assert len(passages) == 3 and all(a == b and a in SENTENCES for a, b in passages)
    assert list(DuplicateMatch.objects.filter(work=new).values_list("other", "kind")) == [
        (old.pk, "text")
    ]


def test_below_the_threshold_is_not_flagged_until_the_edition_lowers_it(edition, past, units):
    old_text = report()
    new_text = report(replace={i: noise(i) for i in range(0, 40, 7)})
    old = past_work(past, units, text=old_text)
    new = new_work(edition, units, text=new_text)
    percent = _expected_percent(old, new, old_text, new_text)
    assert 50 <= percent < 60
    assert [f["code"] for f in new.precheck.findings] == ["missing_material"]
    edition.settings = {**edition.settings, "similarity_text_percent": 50}
    edition.save()
    run_prechecks(new.pk)
    findings = PreCheck.objects.get(work=new).findings[1:]
    assert [(f["other_work_id"], round(f["score"] * 100)) for f in findings] == [(old.pk, percent)]


def test_thresholds_come_from_the_edition_settings(edition):
    assert crosscheck.thresholds_for(edition) == crosscheck.Thresholds(0.6, 10)
    edition.settings = {"similarity_text_percent": 85, "similarity_image_percent": 90}
    assert crosscheck.thresholds_for(edition) == crosscheck.Thresholds(0.85, 6)
    edition.settings = {"similarity_text_percent": 5, "similarity_image_percent": "x"}
    assert crosscheck.thresholds_for(edition) == crosscheck.Thresholds(0.5, 10)


def test_imported_showcase_work_of_a_past_edition_is_found(
    edition, past, units, roles, django_capture_on_commit_callbacks
):
    from openpyxl import Workbook

    from gongchuang.portal.importer import COLUMNS, import_past_works

    book = Workbook()
    book.active.append([str(column.label) for column in COLUMNS])
    book.active.append(
        ["往届佳作", "ai_scientist", "高中", "海淀区", "一中", "王小明", "", "", "", "一等奖",
         "r.pdf", "是"]
    )  # fmt: skip
    sheet, archive = io.BytesIO(), io.BytesIO()
    book.save(sheet)
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("r.pdf", pdf_bytes(report()))
    with django_capture_on_commit_callbacks(execute=True):
        (imported,) = import_past_works(
            edition=past,
            actor=roles["committee"],
            spreadsheet=ContentFile(sheet.getvalue(), name="s.xlsx"),
            archive=ContentFile(archive.getvalue(), name="f.zip"),
        )
    assert SimilarityKey.objects.filter(work=imported).count() == lsh.TEXT_BANDS
    new = new_work(edition, units, text=report())
    (finding,) = [f for f in describe_findings(new) if f["code"] == "near_duplicate"]
    assert finding["other"] == imported
    assert finding["text"].startswith("与2025届作品 《往届佳作》 相似 ")


def test_review_page_shows_the_pair_side_by_side_without_other_authors(
    client, edition, past, units, roles
):
    old = past_work(past, units, text=report())
    old_author = old.authorships.get().user.real_name
    new = new_work(edition, units, text=report(), unit="hd")
    client.force_login(roles["organizer"])
    body = client.get(reverse("screening:unit_work", args=[new.pk])).content.decode()
    assert "与2025届作品 D25-SCI-HD-0012 相似" in body
    assert "往届的空气质量研究" in body and past.name in body
    (finding,) = [f for f in new.precheck.findings if f["code"] == "near_duplicate"]
    assert len(finding["passages"]) == 3
    for mine, theirs in finding["passages"]:  # this work's passage and the other's
        assert body.count(f"<td>{mine}</td><td>{theirs}</td>") == 1
    assert old_author not in body


def test_candidate_lookup_takes_the_same_queries_for_10_and_500_works(
    edition, units, django_assert_num_queries
):
    new = new_work(edition, units, text=report())
    new = Work.objects.select_related("edition").get(pk=new.pk)
    mine = list(Fingerprint.objects.filter(work=new))
    counts = []
    for total in (10, 500):
        works = Work.objects.bulk_create(
            Work(edition=edition, category=new.category, title=f"w{n}", unit=new.unit,
                 school=new.school, created_by=new.created_by, state=WorkState.SUBMITTED)
            for n in range(total + 1 - Work.objects.count())
        )  # fmt: skip
        for n, work in enumerate(works):
            # Two near-duplicates in each round, the rest unrelated.
            text = report(replace={0: noise(work.pk)}) if n < 2 else noise(work.pk, 900)
            sig = similarity.text_signature(text)
            Fingerprint.objects.create(work=work, kind="text", value=sig)
            SimilarityKey.objects.bulk_create(
                SimilarityKey(work=work, key=k) for k in lsh.text_keys(sig)
            )
        with django_assert_num_queries(5):
            matches = crosscheck.find_duplicates(new, mine)
        counts.append(len(matches))
    assert counts == [2, 4]


def test_index_command_indexes_works_checked_before(edition, past, units):
    old = past_work(past, units, text=report())
    SimilarityKey.objects.all().delete()
    out = io.StringIO()
    call_command("screening_index", stdout=out)
    assert out.getvalue().strip() == "Indexed 1 work(s)."
    assert SimilarityKey.objects.filter(work=old).count() == lsh.TEXT_BANDS


def test_review_page_notes_a_document_whose_text_was_skipped(client, edition, units, roles):
    work = factories.work(
        edition, unit=units["hd"], school=units["hd_school"], category="ai_scientist", submit=False
    )
    factories.attach(
        work, slot="report", data=b"%PDF-1.4\n%%EOF\n", name="坏报告.pdf", kind="pdf", mime="x"
    )
    Work.objects.filter(pk=work.pk).update(state=WorkState.SUBMITTED)
    precheck = run_prechecks(work.pk)
    assert [f["code"] for f in precheck.findings] == ["missing_material"]  # a note, not a problem
    client.force_login(roles["organizer"])
    body = client.get(reverse("screening:unit_work", args=[work.pk])).content.decode()
    assert "坏报告.pdf 的文字未参与相似度比对（无法读取）。" in body
