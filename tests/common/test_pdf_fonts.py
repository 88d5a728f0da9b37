"""Every PDF the platform makes embeds its fonts (issue 23: the summary report used
STSong-Light, a font it did not embed, so a viewer without it showed blank Chinese text
and axis numbers). ``pdffonts`` (poppler-utils, installed by scripts/test) lists a PDF's
fonts; each must be embedded (emb = yes)."""

import datetime
import shutil
import subprocess

import pytest
from django.utils import timezone

from gongchuang.common import fonts
from gongchuang.demo import submissions as submissions_demo
from gongchuang.demo.portal import demo_pdf
from gongchuang.finals.certificates import certificate_ensure_file
from gongchuang.finals.models import Certificate, FinalEvent, FinalResult
from gongchuang.judging.models import Assignment, Jury, Review
from gongchuang.reports.pdf import summary_pdf
from gongchuang.submissions.enums import AuthorRole, WorkState
from gongchuang.submissions.models import Work
from tests.factories import people
from tests.reports.seed import seed_works, to_final

pytestmark = pytest.mark.django_db
RARE_NAME = "王喆堃"  # characters outside the common subset of the font package


def pdf_fonts(data: bytes, tmp_path) -> list[tuple[str, str]]:
    """(font name, emb) of each font ``pdffonts`` lists."""
    binary = shutil.which("pdffonts")
    assert binary, "pdffonts is missing: apt-get install poppler-utils"
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    out = subprocess.run([binary, str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    # name type… encoding emb sub uni object gen: read "emb" from the right.
    return [(row[0], row[-5]) for row in rows]


def assert_all_embedded(data: bytes, tmp_path) -> list[str]:
    listed = pdf_fonts(data, tmp_path)
    assert listed, "no font at all: the text would not be text"
    assert [name for name, emb in listed if emb != "yes"] == []
    return sorted(name.partition("+")[2] for name, _emb in listed)


@pytest.fixture
def finished_edition(edition, roles):
    """Submitted works, reviews (score chart), a finalist with a five-star result and
    its certificate for an author whose name has rare characters."""
    committee = roles["committee"]
    seed_works(edition, committee, per_unit=4, unit_codes=("HD", "CY"))
    works = list(Work.objects.filter(edition=edition).exclude(state=WorkState.DRAFT))
    jury = Jury.objects.create(edition=edition, category=works[0].category)
    for total, work in zip([58.0, 73.5, 91.0], works, strict=False):
        Review.objects.create(
            assignment=Assignment.objects.create(jury=jury, work=work, expert=roles["expert"]),
            scores={},
            total=total,
            status="submitted",
            submitted_at=timezone.now(),
        )
    winner = to_final(works[0], committee)
    event = FinalEvent.objects.create(
        edition=edition,
        name="决赛",
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 7, 2),
        venue="北京",
    )
    FinalResult.objects.create(event=event, work=winner, group_label="组", star_level="five")
    author = people.student(winner.school, username="rare_name", real_name=RARE_NAME)
    certificate = Certificate.objects.create(
        event=event,
        work=winner,
        user=author,
        role=AuthorRole.AUTHOR,
        award="五星作品",
        star_level="five",
        issued_on=datetime.date(2026, 7, 2),
    )
    return {"edition": edition, "certificate": certificate}


def test_certificate_embeds_its_fonts(finished_edition, tmp_path):
    certificate = certificate_ensure_file(finished_edition["certificate"])
    with certificate.file.open("rb") as handle:
        names = assert_all_embedded(handle.read(), tmp_path)
    assert names == ["NotoSansSC-Bold", "NotoSansSC-Regular"]
    assert all(ord(char) in fonts.coverage(fonts.BOLD) for char in RARE_NAME)


def test_summary_report_embeds_its_fonts(finished_edition, tmp_path):
    data = summary_pdf(finished_edition["edition"])
    assert assert_all_embedded(data, tmp_path) == ["NotoSansSC-Regular"]


@pytest.mark.parametrize(
    "make",
    [
        lambda: submissions_demo.pdf("未来城市", "创作说明"),
        lambda: demo_pdf("2026活动指南"),
    ],
    ids=["demo-work-file", "demo-notice-attachment"],
)
def test_demo_files_embed_their_fonts(make, tmp_path):
    assert assert_all_embedded(make(), tmp_path) == ["NotoSansSC-Regular"]


def test_the_font_covers_rare_name_characters():
    assert all(ord(char) in fonts.coverage() for char in RARE_NAME + "燚垚犇龘珺玥")
