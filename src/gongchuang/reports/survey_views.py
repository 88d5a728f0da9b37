"""Pages of the feedback surveys (committee: edit, open, close; people: answer) and the
draft of next year's activity guide."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongchuang.accounts.access import permission_required
from gongchuang.common.errors import DomainError
from gongchuang.editions.models import Edition

from . import surveys
from .forms_surveys import AnswerForm, QuestionForm
from .guide_pdf import guide_draft_pdf
from .models import Survey, SurveyQuestion
from .views import _edition


@permission_required("reports.manage")
def survey_list(request):
    edition = _edition(request)
    if request.method == "POST":
        surveys.surveys_ensure(edition=edition, actor=request.user)
        messages.success(request, _("The surveys are ready; edit their questions, then open them."))
        return redirect(f"{request.path}?edition={edition.slug}")
    rows = Survey.objects.filter(edition=edition).prefetch_related("questions", "responses")
    return render(request, "reports/surveys.html", {"edition": edition, "surveys": rows})


def _survey(request, pk: int) -> Survey:
    return get_object_or_404(Survey.objects.select_related("edition"), pk=pk)


@permission_required("reports.manage")
def survey_edit(request, pk: int):
    survey = _survey(request, pk)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            surveys.survey_question_add(survey=survey, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Question added."))
            return redirect("reports:survey_edit", pk=survey.pk)
    return render(
        request,
        "reports/survey_edit.html",
        {"survey": survey, "form": form, "questions": survey.questions.all(),
         "responses": survey.responses.count()},
    )  # fmt: skip


@permission_required("reports.manage")
@require_POST
def question_remove(request, pk: int):
    question = get_object_or_404(SurveyQuestion, pk=pk)
    try:
        surveys.survey_question_remove(question=question, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Question removed."))
    return redirect("reports:survey_edit", pk=question.survey_id)


@permission_required("reports.manage")
@require_POST
def survey_toggle(request, pk: int, action: str):
    survey = _survey(request, pk)
    service = {"open": surveys.survey_open, "close": surveys.survey_close}.get(action)
    if service is None:
        return redirect("reports:survey_edit", pk=survey.pk)
    try:
        service(survey=survey, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The survey is open.") if action == "open" else _("The survey is closed.")
        )
    return redirect("reports:survey_edit", pk=survey.pk)


@permission_required("reports.answer_survey", obj=_survey)
def survey_answer(request, pk: int):
    survey = _survey(request, pk)
    form = AnswerForm(request.POST or None, questions=survey.questions.all())
    answered = survey.responses.filter(respondent=request.user).exists()
    if request.method == "POST" and not answered and form.is_valid():
        try:
            surveys.survey_answer(survey=survey, respondent=request.user, answers=form.answers())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Thank you! Your answers have been recorded."))
            return redirect("reports:survey_answer", pk=survey.pk)
    return render(
        request,
        "reports/survey_answer.html",
        {"survey": survey, "form": form, "answered": answered},
    )


@permission_required("reports.manage")
def guide_draft(request, slug: str):
    """A draft of the activity guide from ``slug``'s settings, for the committee to edit."""
    edition = get_object_or_404(Edition, slug=slug)
    name = _("guide-draft-%(slug)s.pdf") % {"slug": edition.slug}
    return HttpResponse(
        guide_draft_pdf(edition),
        content_type="application/pdf",
        headers={"Content-Disposition": content_disposition_header(True, name)},
    )
