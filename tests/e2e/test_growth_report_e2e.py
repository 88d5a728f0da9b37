"""Playwright: an author downloads the growth report of a work after the final's results."""

import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from gongchuang.accounts.enums import Role
from gongchuang.demo.finals import score_sheets
from gongchuang.finals import services
from gongchuang.judging.models import Assignment, Jury, Review
from tests.factories import people
from tests.finals.conftest import (
    make_event,
    make_finalist,
    make_presentation_session,
    publish_results,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published_final(edition, units, roles):
    committee = roles["committee"]
    event = make_event(edition, committee)
    session = make_presentation_session(event, committee)
    judge = people.staff(Role.EXPERT, username="judge_gr", real_name="独立评委")
    services.session_add_judge(session=session, judge=judge, actor=committee)
    own = make_finalist(
        edition, school=units["hd_school"], title="成长作品", student=roles["student"]
    )
    other = make_finalist(edition, school=units["cy_school"], title="同组作品")
    jury = Jury.objects.create(edition=edition, category=own.category)
    for value, work in ((8, own), (6, other)):
        services.session_add_participant(session=session, work=work, actor=committee)
        score_sheets(judge, session, work, presentation=value, task=value, key="growth-e2e")
        Review.objects.create(
            assignment=Assignment.objects.create(jury=jury, work=work, expert=roles["expert"]),
            scores={str(d.pk): value for d in work.category.rubric.all()},
            total=value * 10,
            status="submitted",
            submitted_at=timezone.now(),
            comment_to_committee="保密意见",
            comment_to_authors=f"给《{work.title}》作者的建议",
        )
    services.results_compute(event=event, actor=committee)
    event = services.results_lock(event=event, actor=committee)
    publish_results(event, committee)
    return own


def test_author_downloads_growth_report(page, live_server, browser_login, published_final):
    browser_login(page, live_server, "student_a")
    page.goto(f"{live_server.url}/final/my/")
    reports = page.get_by_test_id("growth-reports")
    expect(reports).to_contain_text("成长作品")
    with page.expect_download() as download:
        reports.get_by_role("link", name="下载成长报告").click()
    assert re.search(r"成长报告\.pdf$", download.value.suggested_filename)
    pdf = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "成长报告" in text
    assert "给《成长作品》作者的建议" in text
    assert "保密意见" not in text and "同组作品" not in text
