"""The growth report (issue 19 item 7): its numbers, who may download it and when, its font."""

import pytest
from django.urls import reverse
from django.utils import timezone

from gongchuang.finals.growth import distribution, percentile_rank, work_means
from gongchuang.finals.growth_report import growth_report_build, render_growth_report_pdf
from gongchuang.finals.selectors import event_for
from gongchuang.judging.models import Assignment, Jury, Review
from tests.common.test_pdf_fonts import assert_all_embedded
from tests.factories import people
from tests.finals.conftest import publish_results

pytestmark = pytest.mark.django_db

# Online review values (1–10) per work in the order 9, 7, 5 of ``locked``: two experts each.
ONLINE = {0: [(9, 8), (9, 10)], 1: [(6, 4), (8, 6)], 2: [(4, 3), (4, 3)]}


def review(jury, work, expert, values, dims, comment=""):
    Review.objects.create(
        assignment=Assignment.objects.create(jury=jury, work=work, expert=expert),
        scores={str(d.pk): v for d, v in zip(dims, values, strict=True)},
        total=50,
        status="submitted",
        submitted_at=timezone.now(),
        comment_to_committee="内部意见：仅组委会",
        comment_to_authors=comment,
    )


@pytest.fixture
def published(locked, roles):
    """``locked`` (finals 9, 7, 5) with two-dimension online reviews, results published."""
    works = locked["works"]
    dims = list(works[0].category.rubric.order_by("order", "pk"))[:2]
    dims[0].category.rubric.exclude(pk__in=[d.pk for d in dims]).delete()
    jury = Jury.objects.create(edition=works[0].edition, category=works[0].category)
    experts = [people.staff("expert", username=f"exp_g{i}") for i in range(2)]
    for index, pairs in ONLINE.items():
        for expert, values in zip(experts, pairs, strict=True):
            comment = f"给作者的建议{expert.username}" if index == 1 else ""
            review(jury, works[index], expert, values, dims, comment)
    publish_results(locked["event"], locked["committee"])
    return {**locked, "dims": dims}


def test_distribution_quartiles_and_percentile():
    assert distribution([5, 9, 7]).__dict__ == {
        "count": 3, "minimum": 5.0, "q1": 6.0, "median": 7.0, "q3": 8.0, "maximum": 9.0,
    }  # fmt: skip
    assert distribution([]) is None
    assert percentile_rank(7, [5, 7, 9]) == 67
    assert percentile_rank(9, [9]) == 100
    assert work_means([(1, {"a": 6}), (1, {"a": 8, "b": ""})]) == {1: {"a": 7.0}}


def test_report_numbers_against_the_group(published):
    work = published["works"][1]
    work.refresh_from_db()
    report = growth_report_build(work=work, event=event_for(work.edition))

    online = [(r.score, r.group.minimum, r.group.median, r.group.maximum, r.percentile)
              for r in report.online]  # fmt: skip
    # dimension 1: means 9, 7, 4; dimension 2: means 9, 5, 3
    assert online == [(7.0, 4.0, 7.0, 9.0, 67), (5.0, 3.0, 5.0, 9.0, 67)]
    assert [r.group.q1 for r in report.online] == [5.5, 4.0]
    final = [(r.score, r.group.q1, r.group.median, r.group.q3, r.percentile) for r in report.final]
    assert final == [(7.0, 6.0, 7.0, 8.0, 67)] * 2
    assert float(report.result.task) == 70.0
    assert (report.task_group.minimum, report.task_group.maximum) == (50.0, 90.0)
    assert report.task_percentile == 67
    assert report.star_level == report.result.get_star_level_display()
    assert report.comments == ["给作者的建议exp_g0", "给作者的建议exp_g1"]


def test_report_pdf_is_chinese_with_fonts_embedded(published, tmp_path):
    work = published["works"][1]
    pdf = render_growth_report_pdf(growth_report_build(work=work, event=event_for(work.edition)))
    assert pdf.startswith(b"%PDF")
    assert assert_all_embedded(pdf, tmp_path) == ["NotoSansSC-Bold", "NotoSansSC-Regular"]
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "doc.pdf").pages)
    assert "成长报告" in text and "给作者的建议exp_g0" in text
    assert "内部意见" not in text and "exp_g0" not in text.replace("给作者的建议exp_g0", "")


def _get(client, user, work):
    client.force_login(user)
    return client.get(reverse("finals:growth_report", args=[work.pk]))


def test_author_and_advisor_download_others_cannot(client, published, roles, units):
    work = published["works"][0]
    author = work.authorships.get(role="author").user
    advisor = people.teacher(units["hd_school"], username="advisor_g")
    work.authorships.create(
        user=advisor, edition=work.edition, role="advisor", order=1, accepted_at=timezone.now()
    )
    for person in (author, advisor):
        response = _get(client, person, work)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
    other_author = published["works"][1].authorships.get(role="author").user
    for person in (other_author, roles["student_b"], roles["teacher"], roles["organizer"],
                   roles["coordinator"], roles["expert"], roles["committee"]):  # fmt: skip
        assert _get(client, person, work).status_code in (403, 404), person.username
    client.logout()
    response = client.get(reverse("finals:growth_report", args=[work.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_before_publication_not_available(client, locked):
    work = locked["works"][0]
    author = work.authorships.get(role="author").user
    client.force_login(author)
    response = client.get(reverse("finals:growth_report", args=[work.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("finals:my_final")
    assert "决赛成绩公布后才能下载成长报告" in response.content.decode()
    assert "growth-reports" not in response.content.decode()


def test_my_final_links_the_report_after_publication(client, published):
    work = published["works"][0]
    client.force_login(work.authorships.get(role="author").user)
    page = client.get(reverse("finals:my_final")).content.decode()
    assert reverse("finals:growth_report", args=[work.pk]) in page


def test_review_form_labels_the_comment_for_the_authors():
    from gongchuang.judging.forms import ReviewForm

    form = ReviewForm(rubric=[], scale=(1, 10))
    assert "匿名" in str(form["comment_to_authors"].label)
    assert "保密" in str(form["comment_to_committee"].help_text)


def test_demo_past_growth_report_for_the_demo_teacher(client):
    """seed_demo: last year's published final gives the demo teacher's work a report with
    its online review, final scores and the experts' comments; the survey panel is alive."""
    import io

    from django.core.management import call_command
    from pypdf import PdfReader

    from gongchuang.accounts.models import User
    from gongchuang.demo.judging import AUTHOR_COMMENTS
    from gongchuang.submissions.models import Work

    call_command("seed_demo", stdout=io.StringIO())
    teacher = User.objects.get(username="teacher")
    work = Work.objects.get(
        edition__slug="demo-past", authorships__user=teacher, final_results__isnull=False
    )
    client.force_login(teacher)
    page = client.get(reverse("finals:my_final")).content.decode()
    assert reverse("finals:growth_report", args=[work.pk]) in page
    response = client.get(reverse("finals:growth_report", args=[work.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert any(comment in text.replace("\n", "") for comment in AUTHOR_COMMENTS)
    assert "网络评审" in text and "五星" in text
    dashboard = client.get(reverse("accounts:dashboard")).content.decode()
    assert 'data-testid="survey-panel"' in dashboard
