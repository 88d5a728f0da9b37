"""Decisions of the qualification review. Every state change goes through ``transition_work``.

Each service checks the actor's right and the review window, records a
``Review`` (decision, checklist, reason) and changes the work's state in one
transaction; the author is notified after commit by the notifications app.
"""

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.accounts.access import require
from gongchuang.accounts.enums import Role, UnitKind
from gongchuang.accounts.models import User
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.editions.enums import Step
from gongchuang.editions.models import Category, Edition
from gongchuang.editions.rules import ensure_edition_writable
from gongchuang.notifications.services import notify_kind
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from gongchuang.submissions.services import transition_work

from .enums import (
    CITY_DECISIONS,
    FAILED_ITEM_REASONS,
    NEEDS_REASON,
    UNIT_DECISIONS,
    ChecklistItem,
    Decision,
    PreCheckStatus,
    Stage,
)
from .models import PreCheck, QuotaLock, Review
from .selectors import recommended_count, unit_progress
from .tasks import precheck_work


def checklist_reason(*, checklist: dict[str, bool] | None, note: str = "") -> str:
    """The reason text: one sentence per failed checklist item, then the reviewer's note."""
    lines = [
        str(FAILED_ITEM_REASONS[item])
        for item in ChecklistItem
        if checklist is not None and checklist.get(item.value) is False
    ]
    if note.strip():
        lines.append(note.strip())
    return "\n".join(lines)


def _require_open(edition: Edition, step: str) -> None:
    """Every decision passes here: an archived edition first, then the step's window."""
    ensure_edition_writable(edition)
    if not edition.is_open(step):
        if step == Step.UNIT_REVIEW:
            raise DomainError(_("The unit review window is not open."), code="window_closed")
        raise DomainError(_("The city review window is not open."), code="window_closed")


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise DomainError(_("Please give a reason for this decision."), code="reason_required")


def _record(*, work: Work, stage: str, decision: str, actor: User, checklist, reason: str) -> None:
    Review.objects.create(
        work=work,
        stage=stage,
        decision=decision,
        checklist=dict(checklist or {}),
        reason=reason,
        reviewer=actor,
    )


def _check_quota(work: Work) -> None:
    """Lock the unit's quota row for the category, then count; raise if no place is left.

    Must run inside the transaction that recommends the work: the lock is held
    until commit, so concurrent recommendations are counted one after another.
    """
    category = Category.objects.get(pk=work.category_id)
    if category.unit_quota is None:
        return
    QuotaLock.objects.select_for_update().get_or_create(
        edition_id=work.edition_id, unit_id=work.unit_id, category_id=work.category_id
    )
    used = recommended_count(
        edition_id=work.edition_id, unit_id=work.unit_id, category_id=work.category_id
    )
    if used >= category.unit_quota:
        params = {"category": category.name, "used": used, "quota": category.unit_quota}
        if work.unit.kind == UnitKind.DISTRICT:
            message = _(
                "The district's recommendation quota for %(category)s is full (%(used)s/%(quota)s)."
            )
        else:
            message = _(
                "The unit's recommendation quota for %(category)s is full (%(used)s/%(quota)s)."
            )
        raise DomainError(message % params, code="quota_full")


def _require_unit_review_of(work: Work, actor: User) -> None:
    """The actor organises the work's unit and the unit review window is open."""
    require(
        actor,
        "screening.unit_decide",
        work,
        message=_("You may only review works of your own unit."),
    )
    _require_open(work.edition, Step.UNIT_REVIEW)


def work_recommend(*, work: Work, actor: User, checklist: dict | None = None) -> Work:
    """Recommend ``work`` to the city review, within the unit's quota for its category."""
    _require_unit_review_of(work, actor)
    if checklist is not None and not all(checklist.get(i.value) for i in ChecklistItem):
        raise DomainError(
            _("A work can be recommended only when every checklist item is passed."),
            code="checklist_failed",
        )
    with transaction.atomic():
        _check_quota(work)
        updated = transition_work(work, WorkState.RECOMMENDED, actor=actor)
        _record(
            work=work,
            stage=Stage.UNIT,
            decision=Decision.RECOMMEND,
            actor=actor,
            checklist=checklist,
            reason="",
        )
    return updated


def recommendation_withdraw(*, work: Work, actor: User, reason: str = "") -> Work:
    """Take back a recommendation (the work is submitted again); frees a quota place."""
    _require_unit_review_of(work, actor)
    if work.state != WorkState.RECOMMENDED:
        raise DomainError(
            _("This action is not possible in the current state."), code="bad_transition"
        )
    with transaction.atomic():
        updated = transition_work(work, WorkState.SUBMITTED, actor=actor, reason=reason)
        _record(
            work=work,
            stage=Stage.UNIT,
            decision=Decision.UNRECOMMEND,
            actor=actor,
            checklist=None,
            reason=reason,
        )
    return updated


# The unit's two negative decisions and the state each moves the work to.
_NEGATIVE_STATES = {Decision.RETURN: WorkState.RETURNED, Decision.REJECT: WorkState.UNIT_REJECTED}


def _unit_decide_negative(decision, *, work, actor, reason, checklist) -> Work:
    to = _NEGATIVE_STATES[decision]
    _require_unit_review_of(work, actor)
    _require_reason(reason)
    with transaction.atomic():
        updated = transition_work(work, to, actor=actor, reason=reason)
        _record(
            work=work,
            stage=Stage.UNIT,
            decision=decision,
            actor=actor,
            checklist=checklist,
            reason=reason,
        )
    return updated


def work_return(*, work: Work, actor: User, reason: str, checklist: dict | None = None) -> Work:
    """Return the work to its authors for revision (they may resubmit inside the window)."""
    args = {"work": work, "actor": actor, "reason": reason, "checklist": checklist}
    return _unit_decide_negative(Decision.RETURN, **args)


def work_reject(*, work: Work, actor: User, reason: str, checklist: dict | None = None) -> Work:
    """The work fails the unit's qualification review."""
    args = {"work": work, "actor": actor, "reason": reason, "checklist": checklist}
    return _unit_decide_negative(Decision.REJECT, **args)


def unit_decide(
    *, work: Work, actor: User, decision: str, reason: str = "", checklist: dict | None = None
) -> Work:
    """One entry point for the unit's three decisions (used by forms, bulk and import)."""
    if decision == Decision.RECOMMEND:
        return work_recommend(work=work, actor=actor, checklist=checklist)
    if decision == Decision.RETURN:
        return work_return(work=work, actor=actor, reason=reason, checklist=checklist)
    if decision == Decision.REJECT:
        return work_reject(work=work, actor=actor, reason=reason, checklist=checklist)
    if decision == Decision.UNRECOMMEND:
        return recommendation_withdraw(work=work, actor=actor, reason=reason)
    raise DomainError(_("Unknown decision."), code="bad_decision")


_CITY_TARGETS = {
    Decision.QUALIFY: WorkState.QUALIFIED,
    Decision.CITY_REJECT: WorkState.CITY_REJECTED,
    Decision.RETURN_TO_UNIT: WorkState.SUBMITTED,
}


def city_decide(
    *, work: Work, actor: User, decision: str, reason: str = "", checklist: dict | None = None
) -> Work:
    """The committee's decision on a recommended work: qualified, rejected or back to the unit."""
    require(
        actor,
        "screening.city_review",
        message=_("Only the city committee may do the city review."),
    )
    _require_open(work.edition, Step.CITY_REVIEW)
    if decision not in _CITY_TARGETS:
        raise DomainError(_("Unknown decision."), code="bad_decision")
    if decision in NEEDS_REASON:
        _require_reason(reason)
    if decision == Decision.QUALIFY and checklist is not None:
        if not all(checklist.get(i.value) for i in ChecklistItem):
            raise DomainError(
                _("A work can be qualified only when every checklist item is passed."),
                code="checklist_failed",
            )
    if work.state != WorkState.RECOMMENDED:
        raise DomainError(
            _("This action is not possible in the current state."), code="bad_transition"
        )
    with transaction.atomic():
        updated = transition_work(work, _CITY_TARGETS[decision], actor=actor, reason=reason)
        _record(
            work=work,
            stage=Stage.CITY,
            decision=decision,
            actor=actor,
            checklist=checklist,
            reason=reason,
        )
        if decision == Decision.RETURN_TO_UNIT:
            _tell_unit_returned(updated, reason=reason)
    return updated


def _tell_unit_returned(work: Work, *, reason: str) -> None:
    organizers = User.objects.filter(
        memberships__role=Role.UNIT_ORGANIZER, memberships__unit_id=work.unit_id, is_active=True
    ).distinct()
    notify_kind(
        recipients=list(organizers),
        kind="screening.returned_to_unit",
        context={"title": work.title, "code": work.code, "reason": reason},
        url=reverse("screening:unit_work", args=[work.pk]),
    )


def works_decide_bulk(
    *, works: Sequence[Work], actor: User, decision: str, reason: str = "", stage: str = Stage.UNIT
) -> int:
    """Apply one decision to several works, all or nothing; returns how many changed.

    On the first refusal (quota full, wrong state…) nothing is changed and the
    DomainError names the work it stopped at.
    """
    allowed = UNIT_DECISIONS if stage == Stage.UNIT else CITY_DECISIONS
    if decision not in allowed:
        raise DomainError(_("Unknown decision."), code="bad_decision")
    if not works:
        raise DomainError(_("Select at least one work."), code="nothing_selected")
    decide = unit_decide if stage == Stage.UNIT else city_decide
    with transaction.atomic():
        for work in sorted(works, key=lambda w: w.pk):
            try:
                decide(work=work, actor=actor, decision=decision, reason=reason)
            except DomainError as exc:
                raise DomainError(
                    _("%(code)s: %(message)s") % {"code": work.code, "message": exc.message},
                    code=exc.code,
                ) from exc
    return len(works)


def units_remind(*, edition: Edition, actor: User, unit_ids: Iterable[int] | None = None) -> int:
    """Remind the organizers of units that still have works to review; returns how many."""
    require(
        actor,
        "screening.city_review",
        message=_("Only the city committee may do the city review."),
    )
    ensure_edition_writable(edition)
    wanted = set(unit_ids) if unit_ids is not None else None
    window = edition.window(Step.UNIT_REVIEW)
    deadline = timezone.localtime(window.closes_at).strftime("%Y-%m-%d %H:%M") if window else "—"
    notified = 0
    with transaction.atomic():
        for row in unit_progress(edition=edition):
            if not row.is_behind or (wanted is not None and row.unit.pk not in wanted):
                continue
            organizers = User.objects.filter(
                memberships__role=Role.UNIT_ORGANIZER, memberships__unit=row.unit, is_active=True
            ).distinct()
            notes = notify_kind(
                recipients=list(organizers),
                kind="screening.reminder",
                context={"unit": row.unit.name, "pending": str(row.pending), "deadline": deadline},
                url=reverse("screening:unit_queue") + "?state=submitted",
            )
            notified += len(notes)
            audit_record(
                actor=actor,
                action="screening.remind_unit",
                obj=row.unit,
                after={"pending": row.pending, "notified": len(notes)},
                edition_id=edition.pk,
            )
    return notified


def precheck_request(*, work: Work) -> None:
    """Queue the automatic pre-check of ``work`` (after commit); its result shows as pending."""
    ensure_edition_writable(work.edition)
    # Start one, or reset the previous result (a resubmission): one upsert statement.
    PreCheck.objects.bulk_create(
        [PreCheck(work=work, status=PreCheckStatus.PENDING, findings=[], error="")],
        update_conflicts=True,
        unique_fields=["work"],
        update_fields=["status", "findings", "error"],
    )
    transaction.on_commit(lambda: precheck_work.enqueue(work.pk))
