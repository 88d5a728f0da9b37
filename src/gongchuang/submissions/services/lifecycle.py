"""A work's state: ``transition_work`` is the only code that changes it; submit and withdraw."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.accounts.models import User
from gongchuang.common.errors import DomainError
from gongchuang.common.state import apply_transition
from gongchuang.editions.rules import ensure_edition_writable

from .. import counts, rules
from ..enums import (
    SLOT_RELEASING_STATES,
    SUBMITTED_STATES,
    WORK_TRANSITIONS,
    AuthorRole,
    WorkState,
)
from ..models import Authorship, Work, WorkCodeCounter
from ..selectors import submission_problems
from ..signals import work_state_changed
from ..slots import (
    ONE_WORK_MESSAGE,
    is_slot_violation,
    linked_keys,
    slot_holder,
    slot_must_be_free,
    slot_taken_error,
)
from .editing import locked_editable


def transition_work(
    work: Work, to: str, *, actor, reason: str = "", already_locked: bool = False
) -> Work:
    """Move ``work`` to state ``to``: checks the table, records who/when/from/to/why.

    Side effects in the same transaction: a work code on first submission; the
    one-work-per-student slot claimed on submission (DomainError if the student
    already has a work in this edition) and released on withdrawal. After commit,
    the people concerned are notified (``work_state_changed`` signal).
    Permission checks are the caller's (each workflow has its own rules); an
    archived edition's works never move (DomainError ``archived``). ``already_locked``:
    the caller read ``work`` with ``select_for_update`` in its open transaction and ends
    that transaction on an error (so no savepoint is set: two round trips fewer).
    """
    ensure_edition_writable(work.edition)
    extra = {"state_reason": reason, "state_changed_at": timezone.now()}
    try:
        with transaction.atomic(savepoint=not already_locked):
            if to in SUBMITTED_STATES and not work.submitted_at:
                extra["submitted_at"] = timezone.now()
            if to in SUBMITTED_STATES and not work.code:
                extra["code"] = _next_work_code(work)
            updated = apply_transition(
                work,
                table=WORK_TRANSITIONS,
                target=to,
                actor=actor,
                reason=reason,
                action="work.transition",
                extra_updates=extra,
                already_locked=already_locked,
            )
            updated.edition = work.edition  # loaded by the check above; spares receivers a query
            _update_slots(updated)
            counts.work_moved(
                updated,
                state=updated.transition_source,
                submitted_at=None if "submitted_at" in extra else updated.submitted_at,
            )
    except IntegrityError as exc:
        if is_slot_violation(exc):
            raise DomainError(ONE_WORK_MESSAGE, code="one_work_per_student") from exc
        raise
    # robust: the change is committed; a failing receiver (notifications, pre-check; e.g. the
    # database going away right after the commit) is logged, never turned into an error page.
    transaction.on_commit(
        lambda: work_state_changed.send(
            sender=Work, work=updated, actor=actor, reason=reason, source=updated.transition_source
        ),
        robust=True,
    )
    return updated


def _update_slots(work: Work) -> None:
    holds = work.state not in SLOT_RELEASING_STATES
    students = Authorship.objects.filter(work=work, role=AuthorRole.AUTHOR).exclude(identity_key="")
    students.exclude(holds_slot=holds).update(holds_slot=holds)


def _next_work_code(work: Work) -> str:
    counter, _created = WorkCodeCounter.objects.select_for_update().get_or_create(
        edition_id=work.edition_id, category_id=work.category_id, unit_id=work.unit_id
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{work.edition.code}-{work.category.short_code}-{work.unit.code}-{counter.last:04d}"


def work_submit(*, work: Work, actor: User) -> Work:
    """Submit a draft (or resubmit a returned work) after checking every rule.

    The work goes to its unit (``submitted``), or first to its school's coordinator
    (``awaiting_school``) when the edition uses school confirmation (学校确认).

    Raises DomainError: not an author, not editable, window closed (checked now,
    on the server), something missing, or the student already has a submitted
    work in this edition (the database constraint, claimed by ``transition_work``).
    """
    try:
        with transaction.atomic():
            locked = locked_editable(work, actor, prefetch=("files",))
            slot_must_be_free(
                edition_id=locked.edition_id,
                keys=[(a.identity_key, a.person_key) for a in locked.authorships.all()],
                exclude_work_id=locked.pk,
                lock=True,
            )
            problems = submission_problems(locked)
            if problems:
                raise DomainError(" ".join(str(p) for p in problems), code="incomplete")
            to = (
                WorkState.AWAITING_SCHOOL
                if locked.edition.school_confirmation
                else WorkState.SUBMITTED
            )
            return transition_work(locked, to, actor=actor, already_locked=True)
    except DomainError as exc:
        if exc.code != "one_work_per_student" or exc.message is not ONE_WORK_MESSAGE:
            raise
        # Lost a race at the constraint (its transaction is gone): name the holder now.
        keys = linked_keys(list(work.authorships.values_list("identity_key", "person_key")))
        holder = slot_holder(edition_id=work.edition_id, keys=keys, exclude_work_id=work.pk)
        raise slot_taken_error(holder) from exc


def work_withdraw(*, work: Work, actor: User, reason: str = "") -> Work:
    """Withdraw a work before qualification (authors only); frees the one-work slot."""
    with transaction.atomic():
        locked = (
            Work.objects.select_for_update(of=("self",)).select_related("edition").get(pk=work.pk)
        )
        ensure_edition_writable(locked.edition)
        if not rules.can_withdraw(actor, locked):
            raise DomainError(
                _("This work cannot be withdrawn in its current state."), code="not_withdrawable"
            )
        return transition_work(locked, WorkState.WITHDRAWN, actor=actor, reason=reason)
