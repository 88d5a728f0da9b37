"""Feedback surveys (issue 19 item 8): once per person, audiences, open/close, summary,
and the draft of next year's activity guide."""

import io

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from pypdf import PdfReader

from gongchuang.common.errors import DomainError
from gongchuang.reports import surveys
from gongchuang.reports.guide_pdf import guide_draft_pdf
from gongchuang.reports.models import Survey, SurveyResponse
from gongchuang.reports.pdf import summary_pdf
from tests.common.test_pdf_fonts import assert_all_embedded
from tests.factories import people

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher_survey(edition, roles):
    by_audience = {
        s.audience: s for s in surveys.surveys_ensure(edition=edition, actor=roles["committee"])
    }
    return surveys.survey_open(survey=by_audience["teachers"], actor=roles["committee"])


def _answers(survey, ratings, text=""):
    out = {}
    values = iter(ratings)
    for q in survey.questions.all():
        out[q.pk] = next(values) if q.kind == "likert" else text
    return out


def test_surveys_ensure_makes_one_per_audience_with_questions(edition, roles):
    made = surveys.surveys_ensure(edition=edition, actor=roles["committee"])
    again = surveys.surveys_ensure(edition=edition, actor=roles["committee"])
    assert sorted(s.audience for s in made) == ["experts", "students", "teachers", "units"]
    assert [s.pk for s in made] == [s.pk for s in again]
    assert all(s.questions.exists() and not s.is_open for s in made)


def test_each_person_answers_once(teacher_survey, roles):
    teacher = roles["teacher"]
    surveys.survey_answer(
        survey=teacher_survey, respondent=teacher, answers=_answers(teacher_survey, [5, 4, 3])
    )
    with pytest.raises(DomainError) as exc:
        surveys.survey_answer(
            survey=teacher_survey, respondent=teacher, answers=_answers(teacher_survey, [1, 1, 1])
        )
    assert exc.value.code == "answered"
    assert SurveyResponse.objects.filter(survey=teacher_survey).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(survey=teacher_survey, respondent=teacher)


def test_only_the_audience_answers_an_open_survey(teacher_survey, roles):
    with pytest.raises(DomainError):
        surveys.survey_answer(
            survey=teacher_survey,
            respondent=roles["student"],
            answers=_answers(teacher_survey, [5, 5, 5]),
        )
    closed = surveys.survey_close(survey=teacher_survey, actor=roles["committee"])
    with pytest.raises(DomainError):
        surveys.survey_answer(
            survey=closed, respondent=roles["teacher"], answers=_answers(closed, [5, 5, 5])
        )
    assert not SurveyResponse.objects.exists()


def test_rating_out_of_range_is_refused(teacher_survey, roles):
    with pytest.raises(DomainError):
        surveys.survey_answer(
            survey=teacher_survey,
            respondent=roles["teacher"],
            answers=_answers(teacher_survey, [6, 4, 3]),
        )
    assert not SurveyResponse.objects.exists()


def test_questions_fixed_once_answered(teacher_survey, roles):
    surveys.survey_question_add(
        survey=teacher_survey, kind="likert", text="新题目", actor=roles["committee"]
    )
    surveys.survey_answer(
        survey=teacher_survey,
        respondent=roles["teacher"],
        answers=_answers(teacher_survey, [5, 4, 3, 2]),
    )
    with pytest.raises(DomainError):
        surveys.survey_question_add(
            survey=teacher_survey, kind="text", text="再加", actor=roles["committee"]
        )


def test_summary_includes_survey_results(edition, teacher_survey, roles, units):
    second = people.teacher(units["cy_school"], username="teacher_s2")
    surveys.survey_answer(
        survey=teacher_survey,
        respondent=roles["teacher"],
        answers=_answers(teacher_survey, [5, 4, 3], "多办培训"),
    )
    surveys.survey_answer(
        survey=teacher_survey, respondent=second, answers=_answers(teacher_survey, [4, 4, 2])
    )

    [result] = surveys.survey_results(edition)
    assert result.responses == 2
    assert [(q.average, q.answered) for q in result.questions if q.kind == "likert"] == [
        (4.5, 2), (4.0, 2), (2.5, 2),
    ]  # fmt: skip
    assert [q.samples for q in result.questions if q.kind == "text"] == [["多办培训"]]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(summary_pdf(edition))).pages)
    assert "参与者反馈" in text and "多办培训" in text and "4.5" in text


def test_teacher_answers_through_the_page(client, teacher_survey, roles):
    client.force_login(roles["teacher"])
    url = reverse("reports:survey_answer", args=[teacher_survey.pk])
    data = {
        f"q{q.pk}": "4" if q.kind == "likert" else "很好" for q in teacher_survey.questions.all()
    }
    response = client.post(url, data, follow=True)
    assert "已记录" in response.content.decode()
    assert client.post(url, data).status_code == 200
    assert SurveyResponse.objects.filter(survey=teacher_survey).count() == 1
    client.force_login(roles["student"])
    assert client.get(url).status_code == 403


def test_guide_draft_from_the_cloned_edition(client, edition, roles, tmp_path):
    pdf = guide_draft_pdf(edition)
    assert_all_embedded(pdf, tmp_path)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    category = edition.categories.order_by("order", "pk").first()
    dimension = category.rubric.order_by("order", "pk").first()
    assert "活动指南（草稿）" in text and category.name in text and dimension.name in text
    client.force_login(roles["committee"])
    response = client.get(reverse("reports:guide_draft", args=[edition.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(roles["teacher"])
    assert client.get(reverse("reports:guide_draft", args=[edition.slug])).status_code == 403
    assert Survey.objects.count() == 0


def test_the_answer_form_puts_no_colon_after_the_questions(client, teacher_survey, roles):
    """The questions are whole Chinese sentences: no ASCII ":" is appended (issue 20)."""
    client.force_login(roles["teacher"])
    body = client.get(reverse("reports:survey_answer", args=[teacher_survey.pk])).content
    question = teacher_survey.questions.first().text
    assert f"{question}</label>" in body.decode() or f"{question}</legend>" in body.decode()
    assert f"{question}:" not in body.decode()
