"""A teaching case's licence, level taught, subject and AI topic are chosen at submission
(the teacher's form only; the default licence is view only)."""

import pytest
from django.urls import reverse

from gongchuang.submissions.enums import CaseLicence
from gongchuang.submissions.models import Work

pytestmark = pytest.mark.django_db

CASE_FIELDS = {"case_licence", "case_level", "case_subject", "ai_topic"}


def test_teacher_form_has_the_case_fields_students_do_not(client, edition, roles):
    client.force_login(roles["teacher"])
    teacher_form = client.get(reverse("submissions:work_create")).context["form"]
    assert CASE_FIELDS <= set(teacher_form.fields)
    assert teacher_form.fields["case_licence"].initial == CaseLicence.VIEW_ONLY
    client.force_login(roles["student"])
    student_form = client.get(reverse("submissions:work_create")).context["form"]
    assert CASE_FIELDS.isdisjoint(student_form.fields)


def test_teacher_chooses_a_licence_at_submission(client, edition, roles):
    case = edition.categories.get(code="teaching_case")
    client.force_login(roles["teacher"])
    response = client.post(
        reverse("submissions:work_create"),
        {
            "category": case.pk, "title": "用 AI 认识数据", "abstract": "简介",
            "case_licence": CaseLicence.CC_BY_NC, "case_level": "junior",
            "case_subject": "it", "ai_topic": "data",
        },
    )  # fmt: skip
    assert response.status_code == 302
    work = Work.objects.get(title="用 AI 认识数据")
    assert (work.case_licence, work.case_level, work.case_subject, work.ai_topic) == (
        CaseLicence.CC_BY_NC, "junior", "it", "data",
    )  # fmt: skip
    # and may change it while the draft is editable
    edit = client.get(reverse("submissions:work_edit", args=[work.pk])).context["form"]
    assert edit.initial["case_licence"] == CaseLicence.CC_BY_NC
