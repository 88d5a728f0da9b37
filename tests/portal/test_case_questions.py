"""Questions on public teaching cases: pre-moderated by the committee, answered by the
case's authors, every step audited."""

import pytest
from django.urls import reverse

from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.portal import questions
from gongchuang.portal.enums import QuestionStatus

from ..factories import people
from .helpers import make_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(edition, units):
    author = people.teacher(units["hd_school"], username="case_author", real_name="周老师")
    return make_work(
        edition, category="teaching_case", school=units["hd_school"], title="数据讲故事",
        level="", author=author,
    )  # fmt: skip


@pytest.fixture
def asker(units):
    return people.teacher(units["cy_school"], username="asker", real_name="吴老师")


def test_a_question_is_hidden_until_approved(client, case, asker, roles):
    question = questions.case_question_ask(work=case, actor=asker, text="数据从哪里来？")
    url = reverse("portal:work_detail", args=[case.pk])
    assert "数据从哪里来？" not in client.get(url).content.decode()
    questions.case_question_moderate(question=question, actor=roles["committee"], approve=True)
    assert "数据从哪里来？" in client.get(url).content.decode()
    assert AuditEvent.objects.filter(action__startswith="case_question.").count() == 2


def test_a_rejected_question_stays_hidden(client, case, asker, roles):
    question = questions.case_question_ask(work=case, actor=asker, text="广告内容")
    questions.case_question_moderate(question=question, actor=roles["committee"], approve=False)
    page = client.get(reverse("portal:work_detail", args=[case.pk])).content.decode()
    assert "广告内容" not in page
    with pytest.raises(DomainError):
        questions.case_question_moderate(question=question, actor=roles["committee"], approve=True)


def test_only_teachers_ask_and_only_on_public_cases(case, roles, asker):
    with pytest.raises(DomainError):
        questions.case_question_ask(work=case, actor=roles["student"], text="问题")
    case.is_public = False
    case.save()
    with pytest.raises(DomainError):
        questions.case_question_ask(work=case, actor=asker, text="问题")
    with pytest.raises(DomainError):
        questions.case_question_ask(work=case, actor=asker, text="   ")


def test_the_author_answers_a_published_question_only(client, case, asker, roles):
    author = case.authors()[0].user
    question = questions.case_question_ask(work=case, actor=asker, text="适合几年级？")
    with pytest.raises(DomainError) as err:
        questions.case_question_answer(question=question, actor=author, answer="七年级")
    assert err.value.code in {"not_published", "forbidden"}
    questions.case_question_moderate(question=question, actor=roles["committee"], approve=True)
    with pytest.raises(DomainError):
        questions.case_question_answer(question=question, actor=asker, answer="我来答")
    questions.case_question_answer(question=question, actor=author, answer="七年级")
    question.refresh_from_db()
    assert (question.status, question.answer, question.answered_by) == (
        QuestionStatus.APPROVED,
        "七年级",
        author,
    )
    page = client.get(reverse("portal:work_detail", args=[case.pk])).content.decode()
    assert "七年级" in page


def test_teacher_asks_through_the_page(client, case, asker):
    client.force_login(asker)
    response = client.post(
        reverse("portal:case_question_ask", args=[case.pk]), {"text": "可以分享课件吗？"}
    )
    assert response.status_code == 302
    assert case.case_questions.get().status == QuestionStatus.PENDING


def test_committee_moderation_page_lists_pending(client, case, asker, roles):
    questions.case_question_ask(work=case, actor=asker, text="课时安排？")
    client.force_login(roles["committee"])
    page = client.get(reverse("portal:case_questions_manage")).content.decode()
    assert "课时安排？" in page


def test_questions_are_exported_and_erased_with_the_account(case, asker):
    from gongchuang.accounts.privacy_services import account_anonymise, personal_data

    questions.case_question_ask(work=case, actor=asker, text="我的学校是哪所？")
    assert [q["question"] for q in personal_data(asker)["case_questions"]] == ["我的学校是哪所？"]
    account_anonymise(user=asker, actor=asker)
    assert case.case_questions.count() == 0
