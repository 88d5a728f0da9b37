"""Questions on public teaching cases: teachers ask, the committee moderates, authors answer."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongchuang.accounts.access import permission_required
from gongchuang.common.errors import DomainError

from .. import questions, selectors
from ..enums import QuestionStatus
from ..models import CaseQuestion


def _question(request, pk: int) -> CaseQuestion:
    return get_object_or_404(CaseQuestion.objects.select_related("work"), pk=pk)


@require_POST
@permission_required("portal.ask_case_question")
def case_question_ask(request, pk: int):
    work = selectors.public_work_detail(pk)
    if work is None:
        return redirect("portal:teaching_cases")
    try:
        questions.case_question_ask(
            work=work, actor=request.user, text=request.POST.get("text", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Your question has been sent. It appears once the committee approves it.")
        )
    return redirect("portal:work_detail", pk=pk)


@require_POST
@permission_required("portal.answer_case_question", obj=_question)
def case_question_answer(request, pk: int):
    question = _question(request, pk)
    try:
        questions.case_question_answer(
            question=question, actor=request.user, answer=request.POST.get("answer", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your answer has been published."))
    return redirect("portal:work_detail", pk=question.work_id)


@permission_required("portal.moderate_case_questions")
def case_questions_manage(request):
    pending = CaseQuestion.objects.filter(status=QuestionStatus.PENDING).select_related(
        "work", "asked_by"
    )
    recent = (
        CaseQuestion.objects.exclude(status=QuestionStatus.PENDING)
        .select_related("work", "asked_by", "moderated_by")
        .order_by("-moderated_at")[:30]
    )
    return render(
        request, "portal/case_questions_manage.html", {"pending": pending, "recent": recent}
    )


@require_POST
@permission_required("portal.moderate_case_questions")
def case_question_moderate(request, pk: int):
    question = _question(request, pk)
    approve = request.POST.get("decision") == "approve"
    try:
        questions.case_question_moderate(question=question, actor=request.user, approve=approve)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The question is published.") if approve else _("The question is rejected."),
        )
    return redirect("portal:case_questions_manage")
