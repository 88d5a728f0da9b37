"""The summary report's figures agree with the lists they summarise (issue 23: the report
said 入围作品 0 beside 获奖作品 6 for the demo, whose finalists have no finalist list)."""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from gongchuang.finals.models import FinalEvent, FinalResult, SpecialAward
from gongchuang.finals.selectors import FINAL_STATES
from gongchuang.judging.models import FinalistEntry, FinalistList
from gongchuang.reports.pdf import key_numbers, summary_pdf
from gongchuang.reports.results import results_list
from gongchuang.reports.scope import Filters, Scope
from gongchuang.reports.selectors import dashboard_data
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from gongchuang.submissions.services import transition_work

from .seed import seed_works, to_final

pytestmark = pytest.mark.django_db


@pytest.fixture
def final(edition, roles):
    """Six works reach the final (HD: a, b, e; CY: c, d, f). ``e``'s objection is upheld
    (finalist → not selected) and ``f`` is disqualified after its star; only a, b, c and e
    are on a finalist list. Stars: a five, b four, f three; special awards: a and c."""
    committee = roles["committee"]
    seed_works(edition, committee, per_unit=5, unit_codes=("HD", "CY"))
    submitted = Work.objects.filter(edition=edition).exclude(state=WorkState.DRAFT)
    hd = list(submitted.filter(unit__code="HD").order_by("pk")[:3])
    cy = list(submitted.filter(unit__code="CY").order_by("pk")[:3])
    a, b, e = (to_final(w, committee) for w in hd)
    c, d, f = (to_final(w, committee) for w in cy)
    finalist_list = FinalistList.objects.create(
        edition=edition,
        category=a.category,
        rule="count",
        value=4,
        approved_at=timezone.now(),
        approved_by=committee,
    )
    for rank, work in enumerate([a, b, c, e], start=1):
        FinalistEntry.objects.create(finalist_list=finalist_list, work=work, rank=rank, score=90)
    transition_work(e, WorkState.NOT_SELECTED, actor=committee, reason="异议成立")
    event = FinalEvent.objects.create(
        edition=edition,
        name="决赛",
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 7, 2),
        venue="北京",
    )
    for work, star in [(a, "five"), (b, "four"), (f, "three")]:
        FinalResult.objects.create(event=event, work=work, group_label="组", star_level=star)
    for work in (a, c):
        SpecialAward.objects.create(event=event, name="最佳创意奖", work=work, created_by=committee)
    transition_work(f, WorkState.DISQUALIFIED, actor=committee, reason="取消资格")
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}


def test_finalists_and_awards_count_works_that_reached_the_final(edition, final):
    data = dashboard_data(Scope(unit_ids=None), edition=edition, filters=Filters())
    awards = data.table("awards_units")
    assert awards.headers[1:] == ["入围作品", "五星", "四星", "三星", "专项奖", "获奖作品"]
    # Unit, finalists, five, four, three, special awards, awarded works.
    assert sorted(awards.rows) == [["朝阳区", 2, 0, 0, 0, 1, 1], ["海淀区", 2, 1, 1, 0, 1, 2]]
    listed = results_list(Scope(unit_ids=None), edition=edition)
    assert sorted(r["work_id"] for r in listed) == sorted(final[k].pk for k in "abcd")
    assert {r["work_id"]: r["special_awards"] for r in listed if r["special_awards"]} == {
        final["a"].pk: ["最佳创意奖"],
        final["c"].pk: ["最佳创意奖"],
    }


def test_summary_key_numbers_agree_with_the_lists(edition, final):
    data = dashboard_data(
        Scope(unit_ids=None), edition=edition, filters=Filters(submitted_only=True)
    )
    works = Work.objects.filter(edition=edition)
    submitted = works.exclude(state=WorkState.DRAFT)
    awarded = {final["a"].pk, final["b"].pk, final["c"].pk}
    assert key_numbers(data) == {
        "works": submitted.count(),
        "units": 2,
        "schools": 2,
        "finalists": works.filter(state__in=FINAL_STATES).count(),
        "awards": len(awarded),
    }
    assert key_numbers(data)["finalists"] == 4
    assert key_numbers(data)["works"] == 8  # 10 seeded, 2 drafts
    # Per category, the unit table adds up to the submitted works of that category.
    units = data.table("units")
    for column, category in enumerate(edition.categories.all(), start=1):
        expected = submitted.filter(category=category).count()
        assert sum(row[column] for row in units.rows) == expected, category.code
    assert sum(row[-1] for row in units.rows) == submitted.count()
    assert sum(row[-1] for row in data.table("states").rows) == submitted.count()


def test_summary_pdf_prints_the_agreeing_key_numbers(edition, final):
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(summary_pdf(edition))).pages)
    lines = [line.strip() for line in text.splitlines()]
    # The key numbers table: five headers, then five figures (one text line per cell).
    first = lines.index("提交作品数")
    assert lines[first : first + 10] == [
        "提交作品数", "组织单位数", "学校数", "入围作品", "获奖作品", "8", "2", "2", "4", "3"
    ]  # fmt: skip
