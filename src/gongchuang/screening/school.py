"""School confirmation (学校确认): a school's coordinator confirms its submitted works for
the unit review, or returns them to their authors with a reason.

Used when the edition's option is on (``Edition.school_confirmation``): a submission then
waits in ``awaiting_school``. Every change goes through ``transition_work`` under a row lock
and records a ``Review`` (stage ``school``) in the same transaction; the authors hear of a
return after commit (the notifications app, like a unit's return). Two coordinators acting
on the same work are serialised by the lock: the second finds it already decided.
"""

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from gongchuang.accounts.access import require
from gongchuang.accounts.models import User
from gongchuang.common.errors import DomainError
from gongchuang.editions.enums import Step
from gongchuang.editions.models import Edition
from gongchuang.editions.rules import ensure_edition_writable
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from gongchuang.submissions.services import transition_work

from .enums import Decision, Stage
from .models import Review


def _require_window(edition: Edition) -> None:
    ensure_edition_writable(edition)
    if not edition.is_open(Step.SCHOOL_CONFIRMATION):
        raise DomainError(
            _("The school confirmation window is not open: works cannot be confirmed or "
              "returned now."),
            code="window_closed",
        )  # fmt: skip


def _require_own_school(work: Work, actor: User) -> None:
    require(
        actor,
        "screening.school_decide",
        work,
        message=_("You may only confirm works of your own school."),
    )


def _locked_waiting(work: Work) -> Work:
    """``work`` re-read under a row lock, still waiting for its school (else DomainError)."""
    locked = Work.objects.select_for_update(of=("self",)).get(pk=work.pk)
    if locked.state != WorkState.AWAITING_SCHOOL:
        raise DomainError(
            _("%(code)s is no longer waiting for confirmation (it was confirmed or returned "
              "meanwhile).") % {"code": locked.code},
            code="already_decided",
        )  # fmt: skip
    locked.edition = work.edition  # with its windows, as the caller read it
    return locked


def _decide(locked: Work, *, actor: User, decision: str, reason: str = "") -> Work:
    to = WorkState.SUBMITTED if decision == Decision.CONFIRM else WorkState.SCHOOL_RETURNED
    updated = transition_work(locked, to, actor=actor, reason=reason, already_locked=True)
    Review.objects.create(
        work=locked, stage=Stage.SCHOOL, decision=decision, reason=reason, reviewer=actor
    )
    return updated


def school_confirm(*, work: Work, actor: User) -> Work:
    """Confirm ``work`` for its unit's review (→ ``submitted``, the unit's queue)."""
    _require_own_school(work, actor)
    _require_window(work.edition)
    with transaction.atomic():
        return _decide(_locked_waiting(work), actor=actor, decision=Decision.CONFIRM)


def school_return(*, work: Work, actor: User, reason: str) -> Work:
    """Return ``work`` to its authors with ``reason`` (→ ``school_returned``; they may
    resubmit inside the submission window, and it comes back to the school)."""
    _require_own_school(work, actor)
    _require_window(work.edition)
    if not reason.strip():
        raise DomainError(_("Please give a reason for the return."), code="reason_required")
    with transaction.atomic():
        locked = _locked_waiting(work)
        return _decide(locked, actor=actor, decision=Decision.RETURN, reason=reason.strip())


def school_confirm_bulk(*, works: Sequence[Work], actor: User, edition: Edition) -> tuple[int, int]:
    """Confirm the selected works of ``edition``; returns (confirmed, skipped).

    Every work must belong to the actor's schools (else nothing changes). Works that another
    coordinator confirmed or returned meanwhile are skipped, not an error. The rows are
    locked in id order, so two bulk confirmations at once never deadlock.
    """
    if not works:
        raise DomainError(_("Select at least one work."), code="nothing_selected")
    for work in works:
        _require_own_school(work, actor)
    _require_window(edition)
    confirmed = skipped = 0
    with transaction.atomic():
        locked = Work.objects.select_for_update(of=("self",)).filter(
            pk__in=[w.pk for w in works], edition=edition
        )
        for work in locked.order_by("pk"):
            if work.state != WorkState.AWAITING_SCHOOL:
                skipped += 1
                continue
            work.edition = edition
            _decide(work, actor=actor, decision=Decision.CONFIRM)
            confirmed += 1
    return confirmed, skipped
