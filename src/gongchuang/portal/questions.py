"""Questions on public teaching cases: asked by signed-in teachers, pre-moderated by the
committee, answered by the case's authors. Keyword-only, audited, transactional."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.accounts.access import require
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.editions.enums import CategoryCode
from gongchuang.submissions.models import Work

from .enums import SHOWCASE_STATES, QuestionStatus
from .models import CaseQuestion

QUESTION_MAX_CHARS = 1000
ANSWER_MAX_CHARS = 2000


def _text(value: str, *, limit: int, empty: str) -> str:
    value = (value or "").replace("\x00", "").strip()  # PostgreSQL refuses NUL in text
    if not value:
        raise DomainError(empty, code="empty")
    if len(value) > limit:
        raise DomainError(
            _("The text may have at most %(n)d characters.") % {"n": limit}, code="too_long"
        )
    return value


def case_question_ask(*, work: Work, actor, text: str) -> CaseQuestion:
    """A teacher asks a question on a public teaching case; it waits for moderation."""
    require(actor, "portal.ask_case_question", message=_("Only signed-in teachers can ask."))
    if not (
        work.category.code == CategoryCode.TEACHING_CASE
        and work.is_public
        and work.showcase_consent
        and work.state in SHOWCASE_STATES
    ):
        raise DomainError(_("Questions can be asked on public teaching cases only."))
    text = _text(text, limit=QUESTION_MAX_CHARS, empty=_("Write your question first."))
    with transaction.atomic():
        question = CaseQuestion.objects.create(work=work, asked_by=actor, text=text)
        audit_record(actor=actor, action="case_question.ask", obj=question)
    return question


def case_question_moderate(*, question: CaseQuestion, actor, approve: bool) -> CaseQuestion:
    """The committee publishes or rejects a pending question (audited)."""
    require(actor, "portal.moderate_case_questions")
    with transaction.atomic():
        locked = CaseQuestion.objects.select_for_update().get(pk=question.pk)
        if locked.status != QuestionStatus.PENDING:
            raise DomainError(_("This question has already been moderated."), code="done")
        locked.status = QuestionStatus.APPROVED if approve else QuestionStatus.REJECTED
        locked.moderated_by = actor
        locked.moderated_at = timezone.now()
        locked.save(update_fields=["status", "moderated_by", "moderated_at"])
        audit_record(
            actor=actor, action="case_question.moderate", obj=locked,
            after={"status": locked.status},
        )  # fmt: skip
    return locked


def case_question_answer(*, question: CaseQuestion, actor, answer: str) -> CaseQuestion:
    """An author of the case answers (or corrects the answer to) a published question."""
    require(actor, "portal.answer_case_question", question)
    answer = _text(answer, limit=ANSWER_MAX_CHARS, empty=_("Write your answer first."))
    with transaction.atomic():
        locked = CaseQuestion.objects.select_for_update().get(pk=question.pk)
        if locked.status != QuestionStatus.APPROVED:
            raise DomainError(_("Only published questions can be answered."), code="not_published")
        locked.answer = answer
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        locked.save(update_fields=["answer", "answered_by", "answered_at"])
        audit_record(actor=actor, action="case_question.answer", obj=locked)
    return locked
