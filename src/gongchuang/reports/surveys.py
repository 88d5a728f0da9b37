"""Feedback surveys for the summary (issue 19 item 8): write services and the reads.

The committee creates one survey per audience of an edition (default questions it then
edits), opens it at the end of the edition and closes it; each person of the audience
answers once (``survey_one_response_per_person`` in the database, turned into a Chinese
message here). ``survey_results`` feeds the summary report.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongchuang.accounts.access import require
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.editions.models import Edition

from .enums import LIKERT_MAX, LIKERT_MIN, Audience, QuestionKind
from .models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from .rules import AUDIENCE_ROLES

# Questions a new survey starts with (the committee edits them before opening it).
DEFAULT_QUESTIONS = {
    Audience.STUDENTS: [
        (QuestionKind.LIKERT, "活动让我对人工智能有了更多了解"),
        (QuestionKind.LIKERT, "报名与提交作品的流程清楚方便"),
        (QuestionKind.LIKERT, "评审意见对我的学习有帮助"),
        (QuestionKind.TEXT, "你对明年的活动有什么建议？"),
    ],
    Audience.TEACHERS: [
        (QuestionKind.LIKERT, "活动通知和指南清楚明确"),
        (QuestionKind.LIKERT, "平台便于指导学生提交作品"),
        (QuestionKind.LIKERT, "活动对我的人工智能教学有帮助"),
        (QuestionKind.TEXT, "您对明年的活动有什么建议？"),
    ],
    Audience.EXPERTS: [
        (QuestionKind.LIKERT, "评审量安排合理"),
        (QuestionKind.LIKERT, "评分维度和评分说明清楚"),
        (QuestionKind.TEXT, "您对评审工作有什么建议？"),
    ],
    Audience.UNITS: [
        (QuestionKind.LIKERT, "组织和推荐工作的时间安排合理"),
        (QuestionKind.LIKERT, "平台的资格审核和推荐功能好用"),
        (QuestionKind.TEXT, "您对明年的组织工作有什么建议？"),
    ],
}


def surveys_ensure(*, edition: Edition, actor) -> list[Survey]:
    """One survey per audience of ``edition`` with the default questions (idempotent)."""
    require(actor, "reports.manage")
    surveys = []
    with transaction.atomic(), translation.override("zh-hans"):
        for audience in Audience:
            survey, created = Survey.objects.get_or_create(
                edition=edition,
                audience=audience,
                defaults={
                    "title": _("%(edition)s: feedback of %(audience)s")
                    % {"edition": edition.name, "audience": audience.label}
                },
            )
            if created:
                SurveyQuestion.objects.bulk_create(
                    SurveyQuestion(survey=survey, kind=kind, text=text, order=i)
                    for i, (kind, text) in enumerate(DEFAULT_QUESTIONS[audience])
                )
                audit_record(actor=actor, action="survey.create", obj=survey, edition_id=edition.pk)
            surveys.append(survey)
    return surveys


def _ensure_editable(survey: Survey) -> None:
    if survey.responses.exists():
        raise DomainError(
            _("People have answered this survey; its questions can no longer change.")
        )


def survey_question_add(*, survey: Survey, kind: str, text: str, actor) -> SurveyQuestion:
    require(actor, "reports.manage")
    _ensure_editable(survey)
    if not text.strip():
        raise DomainError(_("Write the question."))
    with transaction.atomic():
        order = survey.questions.count()
        question = SurveyQuestion.objects.create(
            survey=survey, kind=kind, text=text.strip(), order=order
        )
        audit_record(actor=actor, action="survey.question_add", obj=survey, after={"text": text})
    return question


def survey_question_remove(*, question: SurveyQuestion, actor) -> None:
    require(actor, "reports.manage")
    survey = question.survey
    _ensure_editable(survey)
    with transaction.atomic():
        audit_record(
            actor=actor, action="survey.question_remove", obj=survey, before={"text": question.text}
        )
        question.delete()


def survey_open(*, survey: Survey, actor) -> Survey:
    require(actor, "reports.manage")
    if not survey.questions.exists():
        raise DomainError(_("The survey has no questions yet; add some before opening it."))
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        locked.opened_at, locked.closed_at = timezone.now(), None
        locked.save(update_fields=["opened_at", "closed_at"])
        audit_record(actor=actor, action="survey.open", obj=locked)
    return locked


def survey_close(*, survey: Survey, actor) -> Survey:
    require(actor, "reports.manage")
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if not locked.is_open:
            raise DomainError(_("The survey is not open."))
        locked.closed_at = timezone.now()
        locked.save(update_fields=["closed_at"])
        audit_record(actor=actor, action="survey.close", obj=locked)
    return locked


def survey_answer(*, survey: Survey, respondent, answers: dict[int, object]) -> SurveyResponse:
    """Store ``respondent``'s answers (question id → 1–5 or text). Once per person: a
    second answer is refused with a Chinese message and changes nothing."""
    require(
        respondent,
        "reports.answer_survey",
        survey,
        message=_("This survey is not addressed to you."),
    )
    if not survey.is_open:
        raise DomainError(_("This survey is not open or has already closed."))
    questions = list(survey.questions.all())
    rows = []
    for q in questions:
        raw = answers.get(q.pk)
        if q.kind == QuestionKind.LIKERT:
            if raw in (None, ""):
                raise DomainError(_("Choose a rating from 1 to 5 for every rating question."))
            value = int(raw)
            if not LIKERT_MIN <= value <= LIKERT_MAX:
                raise DomainError(_("Ratings go from 1 to 5."))
            rows.append((q, value, ""))
        else:
            rows.append((q, None, str(raw or "").strip()[:2000]))
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(survey=survey, respondent=respondent)
            SurveyAnswer.objects.bulk_create(
                SurveyAnswer(response=response, question=q, value=v, text=t) for q, v, t in rows
            )
    except IntegrityError:
        raise DomainError(
            _("You have already answered this survey; each person answers once."), code="answered"
        ) from None
    return response


# ------------------------------------------------------------------------------ reads


def open_surveys_for(user) -> QuerySet[Survey]:
    """Open surveys of the audiences ``user`` belongs to that they have not answered."""
    if not user.is_authenticated:
        return Survey.objects.none()
    audiences = [a for a, roles in AUDIENCE_ROLES.items() if roles & set(user.roles)]
    return (
        Survey.objects.filter(
            audience__in=audiences, opened_at__isnull=False, closed_at__isnull=True
        )
        .exclude(responses__respondent=user)
        .select_related("edition")
    )


@dataclass(frozen=True)
class QuestionResult:
    text: str
    kind: str
    average: float | None
    answered: int
    samples: list[str]


@dataclass(frozen=True)
class SurveyResult:
    survey: Survey
    responses: int
    questions: list[QuestionResult]


SAMPLE_TEXTS = 3  # free-text answers quoted in the summary per question


def survey_results(edition: Edition) -> list[SurveyResult]:
    """Per survey of ``edition`` with answers: the count, each rating's average, a few texts."""
    results = []
    surveys = Survey.objects.filter(edition=edition).annotate(n=Count("responses"))
    for survey in surveys:
        if not survey.n:
            continue
        stats = {
            row["question_id"]: row
            for row in SurveyAnswer.objects.filter(question__survey=survey, value__isnull=False)
            .values("question_id")
            .annotate(avg=Avg("value"), n=Count("pk"))
        }
        questions = []
        for q in survey.questions.all():
            samples = []
            if q.kind == QuestionKind.TEXT:
                samples = list(
                    q.answers.exclude(text="")
                    .order_by("pk")
                    .values_list("text", flat=True)[:SAMPLE_TEXTS]
                )
                answered = q.answers.exclude(text="").count()
            else:
                answered = stats.get(q.pk, {}).get("n", 0)
            avg = stats.get(q.pk, {}).get("avg")
            questions.append(
                QuestionResult(
                    text=q.text,
                    kind=q.kind,
                    average=None if avg is None else round(float(avg), 2),
                    answered=answered,
                    samples=samples,
                )
            )
        results.append(SurveyResult(survey=survey, responses=survey.n, questions=questions))
    return results
